// One script with its map (or a map alone): read, inject (or only read the debug IDs), write back, and the bytes the
// bundle gets. Over a small file port, so tests run it on a real build or in memory.
import { isUtf8 } from 'node:buffer'
import { normalizeDebugId } from '../../core/sourcemaps/debug-id.js'
import type { BundleFile } from './artifact-bundle.js'
import { decodeDataUrl, encodeDataUrl } from '../../core/sourcemaps/embedded-map.js'
import type { FoundFile } from './find-files.js'
import { injectScript } from '../../core/sourcemaps/inject.js'
import type { FileReport } from '../../core/sourcemaps/outcome.js'
import type { Pairing } from '../../core/sourcemaps/pair.js'
import { lastMagicComment, sourceMappingUrl } from '../../core/sourcemaps/script-comments.js'
import { mapDebugId, parseSourceMap, type SourceMapJson, stripSourcePrefixes } from '../../core/sourcemaps/source-map.js'

export interface FilePort {
  read(file: string): Promise<Buffer>
  /** The last `bytes` bytes as text (the whole file when smaller), and whether that is the whole file. */
  readTail(file: string, bytes: number): Promise<{ text: string; whole: boolean }>
  write(file: string, data: Buffer): Promise<void>
}

export interface ProcessOptions {
  /** Inject debug IDs (else only read them). */
  inject: boolean
  /** Write changed files back (false in a dry run). */
  write: boolean
  /** Produce the bundle's files. */
  bundle: boolean
  stripPrefixes: string[]
  stripCommonPrefix: boolean
}

export interface ProcessedUnit {
  reports: FileReport[]
  bundleFiles: BundleFile[]
}

/** A script with its pairing and, when the map is a found file, that file. */
export interface ScriptUnit {
  script: FoundFile
  pairing: Pairing
  map?: FoundFile
}

export async function processScript(unit: ScriptUnit, options: ProcessOptions, fs: FilePort): Promise<ProcessedUnit> {
  const { script, pairing } = unit
  const scriptBytes = await fs.read(script.path)
  if (!isUtf8(scriptBytes)) return skipped(script, 'not UTF-8: left out, as sentry-cli does')
  const text = scriptBytes.toString('utf8')
  const embedded = pairing.kind === 'embedded' ? readEmbedded(text) : undefined
  const mapFile = unit.map && (await readMapFile(unit.map, fs))
  const map = embedded?.map ?? mapFile?.map
  const notes = [pairing.kind === 'none' ? pairing.note : undefined, mapFile?.note, embedded?.note]

  let newText: string | undefined
  let newMap: SourceMapJson | undefined
  let debugId: string | undefined
  let change: FileReport['change'] = 'read'
  if (options.inject) {
    const mapBytes = embedded ? Buffer.from(embedded.text) : (mapFile?.bytes ?? Buffer.alloc(0))
    const injected = injectScript(text, map && { json: map, bytes: mapBytes }, scriptBytes)
    ;({ debugId, change } = injected)
    newText = injected.script
    newMap = injected.map
    notes.push(injected.note)
    if (embedded && newMap) newText = replaceEmbeddedMap(newText ?? text, embedded.header, newMap)
  } else {
    debugId = normalizeDebugId(lastMagicComment(text, 'debugId')?.value) ?? (map && mapDebugId(map))
  }
  // Encoded once: the same bytes go to the disk and into the bundle.
  const newScriptBytes = newText === undefined ? undefined : Buffer.from(newText)
  const newMapBytes = newMap && unit.map && !embedded ? Buffer.from(JSON.stringify(newMap)) : undefined
  if (options.write && newScriptBytes) await fs.write(script.path, newScriptBytes)
  if (options.write && newMapBytes && unit.map) await fs.write(unit.map.path, newMapBytes)

  const sourceMap = pairing.kind === 'file' ? pairing.reference : pairing.kind === 'embedded' ? 'embedded' : undefined
  const reports: FileReport[] = [{ path: script.path, url: script.url, kind: 'script', debugId, change, sourceMap, note: joinNotes(notes) }]
  const bundleFiles: BundleFile[] = []
  if (options.bundle) {
    const headers: Record<string, string> = {}
    if (debugId) headers['debug-id'] = debugId
    if (pairing.kind === 'file') headers.Sourcemap = pairing.reference
    bundleFiles.push({ url: script.url, type: 'minified_source', headers, bytes: newScriptBytes ?? scriptBytes })
  }
  if (unit.map && mapFile) {
    const finalMap = newMap ?? mapFile.map
    const mapId = finalMap && mapDebugId(finalMap)
    const change = newMap ? 'updated' : 'unchanged'
    reports.push({ path: unit.map.path, url: unit.map.url, kind: 'map', debugId: mapId, change, note: mapFile.note })
    if (options.bundle) bundleFiles.push(mapBundleFile(unit.map, finalMap, newMapBytes ?? mapFile.bytes, options))
  }
  return { reports, bundleFiles }
}

/** A map no script claims: uploaded with the debug ID it carries, never changed. */
export async function processLoneMap(map: FoundFile, options: ProcessOptions, fs: FilePort): Promise<ProcessedUnit> {
  const read = await readMapFile(map, fs)
  if (!read) return skipped(map, 'not UTF-8: left out, as sentry-cli does')
  const debugId = read.map && mapDebugId(read.map)
  const note = read.note ?? 'no script names it'
  const report: FileReport = { path: map.path, url: map.url, kind: 'map', debugId, change: 'unchanged', note }
  return { reports: [report], bundleFiles: options.bundle ? [mapBundleFile(map, read.map, read.bytes, options)] : [] }
}

function skipped(file: FoundFile, note: string): ProcessedUnit {
  return { reports: [{ path: file.path, url: file.url, kind: file.kind, change: 'skipped', note }], bundleFiles: [] }
}

async function readMapFile(file: FoundFile, fs: FilePort): Promise<{ bytes: Buffer; map?: SourceMapJson; note?: string } | undefined> {
  const bytes = await fs.read(file.path)
  if (!isUtf8(bytes)) return undefined
  const map = parseSourceMap(bytes.toString('utf8'))
  return { bytes, map, note: map ? undefined : 'not a source map (invalid JSON, or no mappings): uploaded as is' }
}

function readEmbedded(text: string): { map?: SourceMapJson; header: string; text: string; note?: string } | undefined {
  const decoded = decodeDataUrl(sourceMappingUrl(text)?.value ?? '')
  if (!decoded) return { header: '', text: '', note: 'its data: URL source map cannot be decoded' }
  const map = parseSourceMap(decoded.text)
  return { ...decoded, map, note: map ? undefined : 'its data: URL holds no source map' }
}

function replaceEmbeddedMap(text: string, header: string, map: SourceMapJson): string {
  const comment = sourceMappingUrl(text)
  if (!comment) return text
  return `${text.slice(0, comment.start)}${encodeDataUrl(header, JSON.stringify(map))}${text.slice(comment.end)}`
}

/** The map as uploaded: `sources` stripped per strip_prefix / strip_common_prefix (the file on disk keeps them). */
function mapBundleFile(file: FoundFile, map: SourceMapJson | undefined, bytesOnDisk: Buffer, options: ProcessOptions): BundleFile {
  const stripped = map && stripSourcePrefixes(map, options.stripPrefixes, options.stripCommonPrefix)
  const bytes = stripped && stripped !== map ? Buffer.from(JSON.stringify(stripped)) : bytesOnDisk
  const debugId = map && mapDebugId(map)
  return { url: file.url, type: 'source_map', headers: debugId ? { 'debug-id': debugId } : {}, bytes }
}

function joinNotes(notes: Array<string | undefined>): string | undefined {
  const present = notes.filter((note): note is string => Boolean(note))
  return present.length > 0 ? present.join('; ') : undefined
}
