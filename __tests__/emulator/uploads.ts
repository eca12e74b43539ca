// Test fixtures for chunk uploads: zips and source bundles built by hand, chunking, multipart bodies and raw requests.
import { createHash } from 'node:crypto'
import { crc32, deflateRawSync, gzipSync } from 'node:zlib'
import { DEFAULT_TOKEN } from '../../emulator/index.js'
import type { Answer } from './client.js'

export const sha1 = (data: Buffer | string): string => createHash('sha1').update(data).digest('hex')

/** symbolic's header: "SYSB" and format version 2 (u32, little-endian). */
export const SYSB_HEADER = Buffer.from([0x53, 0x59, 0x53, 0x42, 2, 0, 0, 0])

export interface ZipOptions {
  /** Bytes before the archive (e.g. SYSB_HEADER). */
  prefix?: Buffer
  /** Offsets count the prefix, as symbolic writes them; default true. */
  absolute?: boolean
  /** Deflate the members; default true. */
  deflate?: boolean
}

/** A zip record: fixed fields given as [offset, width, value], then the name. */
function record(size: number, fields: Array<[number, 2 | 4, number]>, name: Buffer): Buffer {
  const fixed = Buffer.alloc(size)
  for (const [at, width, value] of fields) {
    if (width === 2) fixed.writeUInt16LE(value, at)
    else fixed.writeUInt32LE(value, at)
  }
  return Buffer.concat([fixed, name])
}

// Version 2.0, UTF-8 names, DOS time 0 on 1980-01-01 (0x21) as symbolic writes it; then crc, sizes, name length.
const localHeader = (name: Buffer, method: number, crc: number, packed: number, size: number): Buffer =>
  record(
    30,
    [
      [0, 4, 0x04034b50],
      [4, 2, 20],
      [6, 2, 0x800],
      [8, 2, method],
      [12, 2, 0x21],
      [14, 4, crc],
      [18, 4, packed],
      [22, 4, size],
      [26, 2, name.length]
    ],
    name
  )

const centralEntry = (name: Buffer, method: number, crc: number, packed: number, size: number, offset: number): Buffer =>
  record(
    46,
    [
      [0, 4, 0x02014b50],
      [4, 2, 20],
      [6, 2, 20],
      [8, 2, 0x800],
      [10, 2, method],
      [14, 2, 0x21],
      [16, 4, crc],
      [20, 4, packed],
      [24, 4, size],
      [28, 2, name.length],
      [42, 4, offset]
    ],
    name
  )

/** A zip of the given members in order. */
export function zip(members: Array<[string, Buffer | string]>, options: ZipOptions = {}): Buffer {
  const prefix = options.prefix ?? Buffer.alloc(0)
  const base = options.absolute === false ? 0 : prefix.length
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let at = 0
  for (const [path, content] of members) {
    const name = Buffer.from(path)
    const data = Buffer.from(content)
    const method = options.deflate === false ? 0 : 8
    const packed = method === 8 ? deflateRawSync(data) : data
    const local = Buffer.concat([localHeader(name, method, crc32(data), packed.length, data.length), packed])
    centrals.push(centralEntry(name, method, crc32(data), packed.length, data.length, base + at))
    locals.push(local)
    at += local.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(members.length, 8)
  end.writeUInt16LE(members.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(base + at, 16)
  return Buffer.concat([prefix, ...locals, directory, end])
}

export interface BundleFile {
  path: string
  url?: string
  type?: string
  debugId?: string
  content: string
  headers?: object
}

/** A source bundle as sentry-cli writes one: SYSB header, files/…, then manifest.json with the attributes. */
export function sourceBundle(files: BundleFile[], attributes: Record<string, unknown> = {}, options: ZipOptions = {}): Buffer {
  const manifest = {
    files: Object.fromEntries(
      files.map(f => [
        f.path,
        {
          type: f.type ?? 'minified_source',
          url: f.url ?? `~/${f.path.replace(/^files\/_\/_\//, '')}`,
          headers: f.headers ?? (f.debugId ? { 'debug-id': f.debugId } : {})
        }
      ])
    ),
    ...attributes
  }
  const members = files.map((f): [string, string] => [f.path, f.content])
  members.push(['manifest.json', JSON.stringify(manifest)])
  return zip(members, { prefix: SYSB_HEADER, ...options })
}

export interface Chunked {
  checksum: string
  chunks: Array<{ checksum: string; data: Buffer }>
}

/** The file's SHA-1 and its chunks of `size` bytes with theirs. */
export function chunk(data: Buffer, size = 8 * 1024 * 1024): Chunked {
  const chunks = []
  for (let at = 0; at < data.length; at += size) {
    const part = data.subarray(at, at + size)
    chunks.push({ checksum: sha1(part), data: part })
  }
  return { checksum: sha1(data), chunks }
}

export interface Part {
  name: string
  filename?: string
  data: Buffer | string
  contentType?: string
}

/** A multipart/form-data body the way curl writes one. */
export function multipart(parts: Part[], boundary = '------------------------emulatortest'): { body: Buffer; contentType: string } {
  const pieces = parts.flatMap(p => {
    const disposition = `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`
    const type = p.contentType ?? 'application/octet-stream'
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${type}\r\n\r\n`
    return [Buffer.from(head), Buffer.from(p.data), Buffer.from('\r\n')]
  })
  return { body: Buffer.concat([...pieces, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` }
}

/** Parts for chunks: `file` parts as they are, or gzip-compressed `file_gzip` parts like sentry-cli's. */
export const chunkParts = (chunks: Chunked['chunks'], gzip = false): Part[] =>
  chunks.map(c => ({ name: gzip ? 'file_gzip' : 'file', filename: c.checksum, data: gzip ? gzipSync(c.data) : c.data }))

/** A raw request with the default user token. */
export async function send(
  base: string,
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {}
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${DEFAULT_TOKEN}`, ...headers }, body })
  const text = await res.text()
  return { status: res.status, body: text === '' ? null : JSON.parse(text), headers: res.headers }
}

export const CHUNK_UPLOAD = '/api/0/organizations/acme/chunk-upload/'
export const ASSEMBLE = '/api/0/organizations/acme/artifactbundle/assemble/'

/** POSTs the parts to the org's chunk-upload endpoint. */
export function uploadParts(base: string, parts: Part[], headers: Record<string, string> = {}, org = 'acme'): Promise<Answer> {
  const { body, contentType } = multipart(parts)
  return send(base, 'POST', `/api/0/organizations/${org}/chunk-upload/`, body, { 'Content-Type': contentType, ...headers })
}
