// An uploaded artifact bundle read as Sentry reads it (models/artifactbundle.py ArtifactBundleArchive: __init__,
// _read_manifest, _build_memory_maps), plus the checks of what Sentry accepts but symbolic cannot use later.
import { normalizeDebugId } from './debug-id.js'
import type { SourceFileType } from './artifact-store.js'
import { BadZip, openZip, type ZipArchive } from './zip-read.js'

/** Any exception while ArtifactBundleArchive is built: the task reports "the bundle is invalid". */
export class InvalidBundle extends Error {}

export interface BundleArchive {
  zip: ZipArchive
  manifest: Record<string, unknown>
  /** manifest.files: zip path -> file info. */
  files: Record<string, Record<string, unknown>>
  artifactCount: number
  /** The keys of _entries_by_debug_id: (normalized debug id, type), first-seen order, no repeats. */
  debugIds: Array<{ debugId: string; type: SourceFileType }>
}

const SOURCE_FILE_TYPES: SourceFileType[] = ['source', 'minified_source', 'source_map', 'indexed_ram_bundle']
/** symbolic's bundle magic and the format version it writes (symbolic-debuginfo src/sourcebundle/mod.rs). */
const BUNDLE_MAGIC = 'SYSB'
const BUNDLE_VERSION = 2

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
/** Python truthiness of a JSON value. */
export const truthy = (v: unknown): boolean =>
  !(
    v === null ||
    v === undefined ||
    v === false ||
    v === 0 ||
    v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (isDict(v) && Object.keys(v).length === 0)
  )

/** normalize_headers: the keys lower-cased, a later key winning over an earlier one. */
export function lowerKeys(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
}

function readManifest(zip: ZipArchive): Record<string, unknown> {
  let manifest: unknown
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(zip.read('manifest.json')))
  } catch (e) {
    throw new InvalidBundle(`manifest.json: ${(e as Error).message}`)
  }
  // manifest.get(...) needs a dict.
  if (!isDict(manifest)) throw new InvalidBundle('manifest.json is not an object')
  return manifest
}

/** _build_memory_maps: the debug ids of files with a url, a parsable debug-id header and a known type. */
function debugIdsOf(files: Record<string, Record<string, unknown>>): BundleArchive['debugIds'] {
  const seen = new Map<string, BundleArchive['debugIds'][number]>()
  for (const [path, info] of Object.entries(files)) {
    if (!isDict(info)) throw new InvalidBundle(`files.${path} is not an object`)
    const url = info.url
    if (!truthy(url)) continue
    // _entries_by_url needs a hashable url.
    if (typeof url === 'object') throw new InvalidBundle(`files.${path}.url is not hashable`)
    const headers = 'headers' in info ? info.headers : {}
    if (!isDict(headers)) throw new InvalidBundle(`files.${path}.headers is not an object`)
    const raw = lowerKeys(headers)['debug-id']
    if (raw === undefined || raw === null) continue
    // symbolic's normalize_debug_id only takes strings; anything else raises past the SymbolicError handler.
    if (typeof raw !== 'string') throw new InvalidBundle(`files.${path} debug-id is not a string`)
    const debugId = normalizeDebugId(raw)
    const type = SOURCE_FILE_TYPES.find(t => t === info.type)
    if (debugId !== null && type) seen.set(`${debugId} ${type}`, seen.get(`${debugId} ${type}`) ?? { debugId, type })
  }
  return [...seen.values()]
}

/** ArtifactBundleArchive(fileobj): the zip, its manifest and the memory maps; throws InvalidBundle where it raises. */
export function readBundleArchive(data: Buffer): BundleArchive {
  let zip: ZipArchive
  try {
    zip = openZip(data)
  } catch (e) {
    if (e instanceof BadZip) throw new InvalidBundle(e.message)
    throw e
  }
  const manifest = readManifest(zip)
  const files = 'files' in manifest ? manifest.files : {}
  // len(files) works on a dict, list or string; _build_memory_maps then needs files.items().
  if (!isDict(files)) throw new InvalidBundle('manifest.json files is not an object')
  const filesByPath = files as Record<string, Record<string, unknown>>
  return { zip, manifest, files: filesByPath, artifactCount: Object.keys(files).length, debugIds: debugIdsOf(filesByPath) }
}

function headerProblems(data: Buffer, zip: ZipArchive): string[] {
  const problems: string[] = []
  if (data.subarray(0, 4).toString('latin1') !== BUNDLE_MAGIC) problems.push('the file does not start with the SYSB header')
  else if (data.length < 8 || data.readUInt32LE(4) !== BUNDLE_VERSION) {
    problems.push(`SYSB header version ${data.length < 8 ? 'missing' : data.readUInt32LE(4)}, ${BUNDLE_VERSION} expected`)
  }
  if (zip.concat !== 0) problems.push(`zip offsets leave out the first ${zip.concat} bytes (symbolic writes offsets from the file start)`)
  return problems
}

function fileProblems(path: string, info: Record<string, unknown>, zip: ZipArchive): string[] {
  const problems: string[] = []
  try {
    zip.read(path)
  } catch (e) {
    problems.push(`${path}: listed in manifest.json but ${(e as Error).message}`)
  }
  if (typeof info.url !== 'string' || info.url === '') problems.push(`${path}: no url`)
  if (!SOURCE_FILE_TYPES.includes(info.type as SourceFileType)) {
    problems.push(`${path}: type ${JSON.stringify(info.type)} is not one of ${SOURCE_FILE_TYPES.join(', ')}`)
  }
  const headers = isDict(info.headers) ? lowerKeys(info.headers) : {}
  for (const [name, value] of Object.entries(headers)) {
    // symbolic reads headers as a map of strings; one other value fails the whole manifest in symbolicator.
    if (typeof value !== 'string') problems.push(`${path}: header ${name} is not a string`)
  }
  const debugId = headers['debug-id']
  if (typeof debugId === 'string' && normalizeDebugId(debugId) === null) {
    problems.push(`${path}: debug-id ${JSON.stringify(debugId)} does not parse`)
  }
  return problems
}

/**
 * What Sentry stores without complaint but symbolic (and so symbolication) cannot use: no SYSB header, offsets
 * not absolute, a listed file absent or corrupt, no url, an unknown type, a debug-id that does not parse,
 * non-string headers or attributes (symbolic's SourceBundleManifest is string-valued).
 */
export function bundleProblems(data: Buffer, archive: BundleArchive): string[] {
  const problems = headerProblems(data, archive.zip)
  for (const [key, value] of Object.entries(archive.manifest)) {
    if (key !== 'files' && key !== 'source_links' && typeof value !== 'string') problems.push(`manifest.json: ${key} is not a string`)
  }
  const bundleId = archive.manifest.debug_id
  if (typeof bundleId === 'string' && normalizeDebugId(bundleId) === null) {
    problems.push(`manifest.json: debug_id ${bundleId} does not parse`)
  }
  for (const [path, info] of Object.entries(archive.files)) problems.push(...fileProblems(path, info, archive.zip))
  return problems
}
