// Sentry's chunked upload of one artifact bundle (sentry-cli src/utils/file_upload.rs upload_files_chunked and
// poll_assemble; Sentry src/sentry/api/endpoints/chunk.py and organization_artifactbundle_assemble.py): read the
// chunk-upload options, ask assemble which chunks it lacks, send those (multipart, gzip when offered, each part
// named by the SHA-1 of its uncompressed bytes), then ask assemble again until the bundle is ok or failed.
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import { isRecord } from '../../core/payload.js'
import type { PlannedWrite } from '../../core/requests.js'
import type { SendRequest } from '../../core/ports.js'
import { SentryError } from '../../core/sentry-errors.js'
import { batchChunks, type Chunk, type ChunkedBundle, type ReadRange } from './chunks.js'
import { mebibytes, type UploadResult } from '../../core/sourcemaps/outcome.js'
import type { PostChunks } from './ports.js'

const gzipAsync = promisify(gzip)

/** What GET …/chunk-upload/ answers (ChunkUploadEndpoint.get), as the upload uses it. */
export interface ChunkUploadOptions {
  /** Absolute, or relative to the API root (`organizations/acme/chunk-upload/`). */
  url: string
  chunkSize: number
  chunksPerRequest: number
  maxRequestSize: number
  concurrency: number
  /** Sentry's own limit of the wait for assembling, in seconds; 0: none given. */
  maxWait: number
  gzip: boolean
}

/** The chunk-upload path for an org, relative to the API root. */
export function chunkUploadPath(org: string): string {
  return `organizations/${encodeURIComponent(org)}/chunk-upload/`
}

export function assemblePath(org: string): string {
  return `organizations/${encodeURIComponent(org)}/artifactbundle/assemble/`
}

/** The options answer checked; a field Sentry must send but did not is named. */
export function readChunkUploadOptions(body: unknown): ChunkUploadOptions {
  if (!isRecord(body)) throw new Error('Sentry answered GET …/chunk-upload/ without a JSON object: is sentry_url a Sentry server?')
  const positive = (name: string): number => {
    const value = body[name]
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value
    throw new Error(`Sentry's chunk-upload options lack a positive ${name} (got ${JSON.stringify(value)})`)
  }
  if (typeof body.url !== 'string' || body.url === '') throw new Error("Sentry's chunk-upload options lack the upload url")
  if (Array.isArray(body.accept) && !body.accept.includes('artifact_bundles')) {
    throw new Error('This Sentry server does not accept artifact bundles (its chunk-upload accept lacks artifact_bundles): upgrade Sentry')
  }
  return {
    url: body.url,
    chunkSize: positive('chunkSize'),
    chunksPerRequest: positive('chunksPerRequest'),
    maxRequestSize: positive('maxRequestSize'),
    concurrency: positive('concurrency'),
    maxWait: typeof body.maxWait === 'number' && body.maxWait > 0 ? body.maxWait : 0,
    gzip: Array.isArray(body.compression) && body.compression.includes('gzip')
  }
}

/** The absolute chunk-upload URL: as given, or relative to sentryUrl/api/0/ (as sentry-cli's get_api_endpoint). */
export function chunkUploadUrl(sentryUrl: string, url: string): string {
  if (/^https?:\/\//i.test(url)) return url
  return `${sentryUrl}/api/0/${url.replace(/^\/+/, '').replace(/^api\/0\//, '')}`
}

/** Whom the bundle is for: the assemble request's projects, version and dist. */
export interface AssembleTarget {
  org: string
  projects: string[]
  release?: string
  dist?: string
}

export function assembleRequest(target: AssembleTarget, bundle: ChunkedBundle): PlannedWrite {
  const chunks = bundle.chunks.map(chunk => chunk.sha1)
  const body: Record<string, unknown> = { checksum: bundle.checksum, chunks, projects: target.projects }
  if (target.release !== undefined) body.version = target.release
  if (target.release !== undefined && target.dist !== undefined) body.dist = target.dist
  return { method: 'POST', path: assemblePath(target.org), body }
}

export interface UploadPorts {
  send: SendRequest
  postChunks: PostChunks
  read: ReadRange
  sleep(ms: number): Promise<void>
  now(): number
  info(line: string): void
}

// sentry-cli's DEFAULT_MAX_WAIT (src/constants.rs): 5 minutes.
const DEFAULT_MAX_WAIT_MS = 5 * 60_000
// In-flight budget: at most this many uncompressed chunk bytes are read into memory for requests at once.
const IN_FLIGHT_BYTES = 32 * 1024 * 1024

/** Uploads the bundle's missing chunks and waits for Sentry to assemble it; throws one line saying what failed. */
export async function uploadBundle(
  target: AssembleTarget,
  bundle: ChunkedBundle,
  options: ChunkUploadOptions,
  uploadUrl: string,
  ports: UploadPorts
): Promise<UploadResult> {
  const assemble = assembleRequest(target, bundle)
  const ask = async (): Promise<AssembleAnswer> => readAssembleAnswer(await sendAssemble(ports.send, assemble, target.org))
  let answer = await ask()
  let chunksSent = 0
  let bytesSent = 0
  if (answer.state === 'not_found' && answer.missingChunks.length > 0) {
    const missing = new Set(answer.missingChunks)
    const chunks = bundle.chunks.filter(chunk => missing.has(chunk.sha1))
    const unknown = answer.missingChunks.filter(sha1 => !bundle.chunks.some(chunk => chunk.sha1 === sha1))
    if (unknown.length > 0) throw new Error(`Sentry asked for chunks that are not part of the bundle: ${unknown.slice(0, 3).join(', ')}`)
    const sent = await sendChunks(chunks, options, uploadUrl, ports)
    chunksSent = sent.chunks
    bytesSent = sent.bytes
    answer = await ask()
  }
  const maxWaitMs = options.maxWait > 0 ? Math.min(DEFAULT_MAX_WAIT_MS, options.maxWait * 1000) : DEFAULT_MAX_WAIT_MS
  const start = ports.now()
  for (let delay = 250; answer.state !== 'ok'; delay = Math.min(delay * 2, 2000)) {
    if (answer.state === 'error') {
      throw new Error(`Sentry could not assemble the artifact bundle ${bundle.checksum}: ${answer.detail ?? 'no detail given'}`)
    }
    if (answer.state === 'not_found') {
      const lacking = answer.missingChunks.length
      throw new Error(`Sentry still lacks ${lacking || 'some'} ${plural(lacking, 'chunk')} of bundle ${bundle.checksum} after the upload`)
    }
    if (ports.now() - start + delay > maxWaitMs) {
      throw new Error(`Sentry did not finish assembling the artifact bundle within ${maxWaitMs / 1000} s (last state: ${answer.state})`)
    }
    await ports.sleep(delay)
    answer = await ask()
  }
  return { chunksSent, bytesSent, state: answer.state }
}

interface AssembleAnswer {
  state: string
  missingChunks: string[]
  detail?: string
}

/** Sends an assemble request; Sentry's errors name the inputs to check (projects: 400 "One or more projects are invalid"). */
async function sendAssemble(send: SendRequest, request: PlannedWrite, org: string): Promise<unknown> {
  try {
    return await send(request)
  } catch (error) {
    if (!(error instanceof SentryError)) throw error
    if (error.status === 404) {
      const message = `Sentry answered 404 to POST /api/0/${request.path}: the token cannot see org '${org}' or the projects`
      throw new SentryError(404, `${message} (check 'org' and 'projects')`)
    }
    throw /project/i.test(error.message) ? new SentryError(error.status, `${error.message} (check 'projects')`) : error
  }
}

function readAssembleAnswer(body: unknown): AssembleAnswer {
  if (!isRecord(body) || typeof body.state !== 'string') {
    throw new Error(`Sentry answered assemble without a state: ${JSON.stringify(body)?.slice(0, 200)}`)
  }
  const listed: unknown[] = Array.isArray(body.missingChunks) ? body.missingChunks : []
  const missingChunks = listed.filter((sha1): sha1 is string => typeof sha1 === 'string')
  return { state: body.state, missingChunks, detail: typeof body.detail === 'string' ? body.detail : undefined }
}

/** Sends the chunks in batches, several requests at once within the server's concurrency and the in-flight budget. */
async function sendChunks(
  chunks: Chunk[],
  options: ChunkUploadOptions,
  uploadUrl: string,
  ports: UploadPorts
): Promise<{ chunks: number; bytes: number }> {
  const batches = batchChunks(chunks, options)
  const largest = Math.max(...batches.map(batch => batch.reduce((sum, chunk) => sum + chunk.size, 0)))
  const parallel = Math.max(1, Math.min(options.concurrency, Math.floor(IN_FLIGHT_BYTES / Math.max(1, largest)), batches.length))
  const total = batches.reduce((sum, batch) => sum + batch.reduce((bytes, chunk) => bytes + chunk.size, 0), 0)
  const count = batches.reduce((sum, batch) => sum + batch.length, 0)
  ports.info(
    `Uploading ${count} ${plural(count, 'chunk')} (${mebibytes(total)}) in ${batches.length} ${plural(batches.length, 'request')}, ` +
      `${parallel} at a time${options.gzip ? ', gzip' : ''}.`
  )
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++]
      const body = await multipartBody(batch, options.gzip, ports.read)
      const size = batch.reduce((sum, chunk) => sum + chunk.size, 0)
      const first = `${batch[0].sha1}${batch.length > 1 ? ', …' : ''}`
      const what = `${batch.length} ${plural(batch.length, 'chunk')} (${mebibytes(size)}, ${first})`
      await ports.postChunks(uploadUrl, body.data, body.contentType, what)
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker))
  return { chunks: count, bytes: total }
}

/** multipart/form-data with one part per chunk: field file_gzip (or file), filename the SHA-1 of the uncompressed chunk. */
export async function multipartBody(chunks: Chunk[], useGzip: boolean, read: ReadRange): Promise<{ data: Buffer[]; contentType: string }> {
  const boundary = `----sentry-release-action-${randomBytes(16).toString('hex')}`
  const field = useGzip ? 'file_gzip' : 'file'
  const parts: Buffer[] = []
  for (const chunk of chunks) {
    const raw = await read(chunk.offset, chunk.size)
    // The zip's entries are deflated already: the fastest level gains as much as any.
    const data = useGzip ? await gzipAsync(raw, { level: 1 }) : raw
    const disposition = `Content-Disposition: form-data; name="${field}"; filename="${chunk.sha1}"`
    const head = `--${boundary}\r\n${disposition}\r\nContent-Type: application/octet-stream\r\n\r\n`
    parts.push(Buffer.from(head), data, Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  // The parts as they are: joining them would copy every chunk once more.
  return { data: parts, contentType: `multipart/form-data; boundary=${boundary}` }
}

function plural(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`
}
