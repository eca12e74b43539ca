// The source maps step: find the built files, pair scripts with maps, inject debug IDs (writing the files back),
// stream them into one artifact bundle on disk, and upload it in chunks. Decisions are in the modules it calls;
// this file orders them and keeps at most a few files in memory at once.
import * as path from 'node:path'
import { InputError } from '../../core/errors.js'
import type { SendRequest } from '../../core/ports.js'
import { ArtifactBundleWriter, type BundleAttributes, prepareBundleFile, type PreparedBundleFile } from './artifact-bundle.js'
import type { PostChunks, TempBundleFile } from './ports.js'
import { chunkBundle } from './chunks.js'
import { type DirectoryPort, findFiles, type FoundFile } from './find-files.js'
import { pairScripts } from '../../core/sourcemaps/pair.js'
import { type FilePort, processLoneMap, processScript, type ProcessedUnit, type ScriptUnit } from './process-files.js'
import type { FileReport, SourceMapOutcome } from '../../core/sourcemaps/outcome.js'
import { sourceMappingUrl } from '../../core/sourcemaps/script-comments.js'
import type { SourceMapSettings } from '../../core/sourcemaps/settings.js'
import { assembleRequest, chunkUploadPath, chunkUploadUrl, readChunkUploadOptions, uploadBundle } from './upload.js'

/** Whom the upload is for: from the release step's settings and plan. */
export interface UploadTarget extends BundleAttributes {
  sentryUrl: string
}

export interface StepPorts {
  dirs: DirectoryPort
  files: FilePort
  /** A new temp file for the bundle. */
  tempFile(): Promise<TempBundleFile>
  /** Sentry's JSON API and the chunk POST; absent in a dry run and in inject mode. */
  send?: SendRequest
  postChunks?: PostChunks
  info(line: string): void
  warning(line: string): void
  sleep(ms: number): Promise<void>
  now(): number
}

// Sentry's SENTRY_CHUNK_UPLOAD_BLOB_SIZE (8 MiB), for the checksum a dry run shows without asking Sentry.
const DRY_RUN_CHUNK_SIZE = 8 * 1024 * 1024
// Scripts read, injected and compressed at once. One: the next file is read while the previous one is written to the
// bundle, nothing more. Four at once (deflating on node's thread pool) took 12 % less time on 300 files / 60 MiB but
// 166-173 MiB of peak RSS against 144: buffers of files in flight at once, freed in a different order, leave glibc's heap
// fragmented (docs/performance.md, "Source maps").
const PARALLEL_FILES = 1

export async function runSourceMapStep(
  settings: SourceMapSettings,
  target: UploadTarget | undefined,
  ports: StepPorts
): Promise<SourceMapOutcome> {
  const uploading = settings.mode !== 'inject'
  if (uploading && !target) throw new Error('The source maps upload needs the release step (sourcemaps_mode inject runs without it)')
  if (uploading && target && target.projects.length === 0) {
    throw new InputError('projects', 'is required to upload source maps: the artifact bundle belongs to projects (or set SENTRY_PROJECT)')
  }
  const live = uploading && !settings.dryRun && ports.send && target
  // Asked while the files are injected and bundled: the answer is needed only once the bundle is complete.
  const optionsAnswer = live ? settle(ports.send!({ method: 'GET', path: chunkUploadPath(target.org) })) : undefined

  const found = await findFiles(settings, ports.dirs)
  found.warnings.forEach(warning => ports.warning(warning))
  if (found.files.length === 0) {
    const message = `sourcemaps: no .js, .mjs, .cjs or .map files found in ${settings.paths.join(', ')} (under ${settings.baseDir})`
    if (settings.strict) throw new InputError('sourcemaps_strict', `is true and ${message}`)
    ports.warning(`${message}; nothing to inject or upload.`)
    await optionsAnswer?.catch(() => undefined)
    return { mode: settings.mode, dryRun: settings.dryRun, files: [], requests: [] }
  }

  const units = await planUnits(found.files, ports.files)
  const bundleFile = uploading ? await ports.tempFile() : undefined
  try {
    const writer = bundleFile && target ? new ArtifactBundleWriter(bundleFile, target) : undefined
    const options = {
      inject: settings.inject,
      write: !settings.dryRun,
      bundle: Boolean(writer),
      stripPrefixes: settings.stripPrefixes,
      stripCommonPrefix: settings.stripCommonPrefix
    }
    const files: FileReport[] = []
    await inOrder(
      units,
      async unit => {
        const { reports, bundleFiles }: ProcessedUnit =
          'script' in unit ? await processScript(unit, options, ports.files) : await processLoneMap(unit.lone, options, ports.files)
        // Only the compressed bytes wait for their turn in the bundle.
        return { reports, prepared: bundleFiles.map(prepareBundleFile) }
      },
      async ({ reports, prepared }: { reports: FileReport[]; prepared: PreparedBundleFile[] }) => {
        files.push(...reports)
        reports.forEach(report => ports.info(fileLine(report, settings.baseDir)))
        for (const file of prepared) await writer?.add(file)
      }
    )
    if (!writer || !bundleFile || !target) return { mode: settings.mode, dryRun: settings.dryRun, files, requests: [] }

    const id = await writer.finish()
    const serverOptions = optionsAnswer ? readChunkUploadOptions(await optionsAnswer) : undefined
    const chunkSize = serverOptions?.chunkSize ?? DRY_RUN_CHUNK_SIZE
    const chunked = await chunkBundle(bundleFile.read, bundleFile.size(), chunkSize)
    const bundle = { id, checksum: chunked.checksum, size: chunked.size, files: writer.size, chunks: chunked.chunks.length, chunkSize }
    ports.info(`Artifact bundle ${id}: ${writer.size} files, ${bundle.size} bytes, checksum ${bundle.checksum}, ${bundle.chunks} chunk(s).`)
    const assemble = assembleRequest(target, chunked)
    const requests = [
      `GET ${target.sentryUrl}/api/0/${chunkUploadPath(target.org)}`,
      `POST ${target.sentryUrl}/api/0/${assemble.path} ${JSON.stringify({ ...assemble.body, chunks: `[${bundle.chunks} SHA-1s]` })}`,
      `POST <the chunk-upload url> for the chunks Sentry lacks (multipart, gzip), then POST …/assemble/ again until the state is ok`
    ]
    if (!serverOptions || !ports.send || !ports.postChunks) return { mode: settings.mode, dryRun: settings.dryRun, files, bundle, requests }
    const upload = await uploadBundle(target, chunked, serverOptions, chunkUploadUrl(target.sentryUrl, serverOptions.url), {
      send: ports.send,
      postChunks: ports.postChunks,
      read: bundleFile.read,
      sleep: ports.sleep,
      now: ports.now,
      info: ports.info
    })
    return { mode: settings.mode, dryRun: false, files, bundle, upload, requests }
  } finally {
    await bundleFile?.remove()
  }
}

type Unit = ScriptUnit | { lone: FoundFile }

/** Scripts with their maps (pairing reads each script's sourceMappingURL), then the maps no script claims. */
async function planUnits(found: FoundFile[], fs: FilePort): Promise<Unit[]> {
  const scripts = found.filter(file => file.kind === 'script')
  const maps = found.filter(file => file.kind === 'map')
  const references = []
  for (const script of scripts) references.push({ path: script.path, reference: await referenceOf(script.path, fs) })
  const pairings = pairScripts(
    references,
    maps.map(map => map.path)
  )
  const byPath = new Map(maps.map(map => [map.path, map]))
  const claimed = new Set<string>()
  const units: Unit[] = scripts.map(script => {
    const pairing = pairings.get(script.path) ?? { kind: 'none' as const }
    const map = pairing.kind === 'file' ? byPath.get(pairing.mapPath) : undefined
    if (map) claimed.add(map.path)
    return { script, pairing, map }
  })
  return [...units, ...maps.filter(map => !claimed.has(map.path)).map(lone => ({ lone }))]
}

// The sourceMappingURL comment ends a script: its last bytes hold it (a data: URL is recognised by its start).
const TAIL_BYTES = 16 * 1024

/** The script's sourceMappingURL value (for a data: URL, its start is enough); the whole file is read only if the tail lacks it. */
async function referenceOf(script: string, fs: FilePort): Promise<string | undefined> {
  const tail = await fs.readTail(script, TAIL_BYTES)
  const found = sourceMappingUrl(tail.text)?.value
  if (found !== undefined || tail.whole) return found
  return sourceMappingUrl((await fs.read(script)).toString('utf8'))?.value
}

/** Runs `work` on up to PARALLEL_FILES items at once and hands the results to `use` in the items' order. */
async function inOrder<T, R>(items: T[], work: (item: T) => Promise<R>, use: (result: R) => Promise<void>): Promise<void> {
  const pending: Array<Promise<R>> = []
  let next = 0
  const start = (): void => {
    if (next < items.length) pending.push(settle(work(items[next++])))
  }
  for (let i = 0; i < PARALLEL_FILES; i++) start()
  for (let done = 0; done < items.length; done++) {
    const result = await pending[done]
    start()
    await use(result)
  }
}

/** A promise whose rejection is handled until it is awaited (the options are asked before they are needed). */
function settle<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined)
  return promise
}

const CHANGE_TEXT: Record<FileReport['change'], string> = {
  kept: 'already injected, unchanged',
  commented: 'had the snippet: debugId comment added',
  'injected-at-start': 'injected (first line), map shifted by one line',
  'injected-at-end': 'injected at the end',
  read: 'not injected (inject off)',
  updated: 'debug ID written',
  unchanged: 'unchanged',
  skipped: 'skipped'
}

function fileLine(report: FileReport, baseDir: string): string {
  const id = report.debugId ?? 'no debug ID'.padEnd(36)
  const map = report.sourceMap ? ` -> ${report.sourceMap}` : ''
  const note = report.note ? ` (${report.note})` : ''
  return `${id}  ${path.relative(baseDir, report.path)}${map}: ${CHANGE_TEXT[report.change]}${note}`
}
