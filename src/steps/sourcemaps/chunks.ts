import { createHash } from 'node:crypto'

/** Reads `length` bytes at `offset` of the bundle file. */
export type ReadRange = (offset: number, length: number) => Promise<Buffer>

/** One chunk of the bundle: its SHA-1 (hex) and where it is. */
export interface Chunk {
  sha1: string
  offset: number
  size: number
}

/** The bundle as Sentry's chunked upload sees it: the SHA-1 of the whole file and of each chunkSize slice. */
export interface ChunkedBundle {
  checksum: string
  size: number
  chunks: Chunk[]
}

/** Hashes the file slice by slice (one slice in memory at a time). */
export async function chunkBundle(read: ReadRange, size: number, chunkSize: number): Promise<ChunkedBundle> {
  const whole = createHash('sha1')
  const chunks: Chunk[] = []
  for (let offset = 0; offset < size; offset += chunkSize) {
    const data = await read(offset, Math.min(chunkSize, size - offset))
    whole.update(data)
    chunks.push({ sha1: createHash('sha1').update(data).digest('hex'), offset, size: data.length })
  }
  return { checksum: whole.digest('hex'), size, chunks }
}

/** How chunks travel: sentry-cli's batching (at most chunksPerRequest chunks and maxRequestSize bytes per request). */
export interface BatchLimits {
  chunksPerRequest: number
  maxRequestSize: number
  concurrency: number
}

/**
 * Chunks grouped into requests within the server's limits, spread over up to `concurrency` requests so they can run
 * in parallel (a request holding more chunks than needed would serialize the upload). Identical chunks go once.
 */
export function batchChunks(chunks: Chunk[], limits: BatchLimits): Chunk[][] {
  const unique = [...new Map(chunks.map(chunk => [chunk.sha1, chunk])).values()]
  if (unique.length === 0) return []
  const perRequest = Math.max(1, Math.min(limits.chunksPerRequest, Math.ceil(unique.length / Math.max(1, limits.concurrency))))
  const batches: Chunk[][] = []
  let batch: Chunk[] = []
  let bytes = 0
  for (const chunk of unique) {
    if (batch.length > 0 && (batch.length >= perRequest || bytes + chunk.size > limits.maxRequestSize)) {
      batches.push(batch)
      batch = []
      bytes = 0
    }
    batch.push(chunk)
    bytes += chunk.size
  }
  batches.push(batch)
  return batches
}
