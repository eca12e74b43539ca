// GET / POST organizations/{org}/chunk-upload/ (api/endpoints/chunk.py ChunkUploadEndpoint: get, post, get_files;
// FileBlob.from_files in models/files/abstractfileblob.py).
import { createHash } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import { RELEASE_SCOPES } from '../auth.js'
import { ApiError, detail, parseJson, type Reply } from '../http.js'
import { filesOf, isMultipart, MultipartError, parseMultipart, type FormPart } from '../multipart.js'
import { ServerCrash } from '../validation.js'
import { CHUNK_UPLOAD_ACCEPT } from '../chunk-settings.js'
import type { ArtifactStore } from '../artifact-store.js'
import type { Ctx, Route } from './context.js'

/** SENTRYCLI_SEMVER_RE, searched in the User-Agent. */
const SENTRY_CLI_VERSION = /^sentry-cli\/(\d+)\.(\d+)\.(\d+)/

const atLeast = (v: number[], min: number[]): boolean => {
  const i = v.findIndex((n, k) => n !== min[k])
  return i < 0 || v[i] > min[i]
}

/**
 * The upload url: sentry-cli 1.70.1 up to 2.29 gets a relative one (resolved against its /api/0/), every other
 * client an absolute one on the region's URL (here the server's own), or under system.upload-url-prefix when set.
 */
function uploadUrl(ctx: Ctx): string {
  const relative = `organizations/${ctx.org.slug}/chunk-upload/`
  const prefix = ctx.uploads.settings.uploadUrlPrefix
  if (prefix) return `${prefix.replace(/\/+$/, '')}/api/0/${relative}`
  const m = SENTRY_CLI_VERSION.exec(String(ctx.headers['user-agent'] ?? ''))
  const version = m ? m.slice(1, 4).map(Number) : null
  if (version && atLeast(version, [1, 70, 1]) && !atLeast(version, [2, 30, 0])) return relative
  return `${ctx.apiBase}${relative}`
}

function options(ctx: Ctx): Reply {
  const s = ctx.uploads.settings
  return {
    status: 200,
    body: {
      url: uploadUrl(ctx),
      chunkSize: s.chunkSize,
      chunksPerRequest: s.chunksPerRequest,
      maxFileSize: s.maxFileSize,
      maxRequestSize: s.maxRequestSize,
      concurrency: s.concurrency,
      hashAlgorithm: 'sha1',
      compression: s.compression,
      accept: CHUNK_UPLOAD_ACCEPT
    }
  }
}

const uploadError = (message: string): ApiError => new ApiError(400, { error: message })

/** request.FILES as DRF parses the body (JSON, multipart or form parser); other media types are a 415. */
function formParts(ctx: Ctx): FormPart[] {
  if (ctx.raw.length === 0) return []
  const contentType = String(ctx.headers['content-type'] ?? '')
  const mediaType = contentType.split(';')[0].trim().toLowerCase()
  if (isMultipart(contentType)) {
    try {
      return parseMultipart(contentType, ctx.raw)
    } catch (e) {
      if (e instanceof MultipartError) throw detail(400, e.message)
      throw e
    }
  }
  if (mediaType === 'application/json') {
    parseJson(ctx.raw.toString('utf8'))
    return []
  }
  if (mediaType === 'application/x-www-form-urlencoded') return []
  throw detail(415, `Unsupported media type "${contentType}" in request.`)
}

/** GzipChunk: at most chunkSize bytes out (a bigger one is "Chunk size too large"); a broken stream crashes (500). */
function gunzipChunk(data: Buffer, limit: number): Buffer {
  if (data.length === 0) return data
  try {
    return gunzipSync(data, { maxOutputLength: limit + 1 })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw uploadError('Chunk size too large')
    throw new ServerCrash(`BadGzipFile: ${(e as Error).message}`)
  }
}

/**
 * FileBlob.from_files: chunks are saved in order, each once its SHA-1 equals its name; the first that does not
 * ends the request with "Checksum mismatch", the chunks before it kept.
 */
function saveBlobs(store: ArtifactStore, orgId: number, chunks: Array<{ name: string; data: Buffer }>): void {
  for (const { name, data } of chunks) {
    if (createHash('sha1').update(data).digest('hex') !== name) throw uploadError('Checksum mismatch')
    store.addBlob(orgId, name, data)
  }
}

function upload(ctx: Ctx): Reply {
  const s = ctx.uploads.settings
  // Content-Encoding applies to every `file` part; zstd (which newer Sentry also decodes) cannot be decoded here.
  const encoding = String(ctx.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase()
  if (encoding && encoding !== 'gzip') throw uploadError('Unsupported Content-Encoding')
  const parts = formParts(ctx)
  const plain = filesOf(parts, 'file')
  const legacyGzip = filesOf(parts, 'file_gzip')
  if (encoding && legacyGzip.length > 0) throw uploadError('Cannot combine Content-Encoding with file_gzip field')
  if (plain.length + legacyGzip.length > s.chunksPerRequest) throw uploadError('Too many chunks')
  if (plain.length + legacyGzip.length === 0) return { status: 200 }
  const chunks: Array<{ name: string; data: Buffer }> = []
  let total = 0
  const decoded = [...plain.map(p => ({ part: p, gzip: encoding === 'gzip' })), ...legacyGzip.map(p => ({ part: p, gzip: true }))]
  for (const { part, gzip } of decoded) {
    const data = gzip ? gunzipChunk(part.data, s.chunkSize) : part.data
    if (data.length > s.chunkSize) throw uploadError('Chunk size too large')
    total += data.length
    if (total > s.maxRequestSize) throw uploadError('Request too large')
    chunks.push({ name: part.filename ?? '', data })
  }
  saveBlobs(ctx.state.artifacts, ctx.org.id, chunks)
  return { status: 200 }
}

export const chunkUploadRoute: Route = {
  pattern: /^organizations\/([^/]+)\/chunk-upload\/$/,
  scopes: RELEASE_SCOPES,
  handlers: { GET: options, POST: upload },
  rawBody: true
}
