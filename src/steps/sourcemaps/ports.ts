// What the source-map step needs from outside, implemented in src/io/sourcemaps/ (and by fakes in tests).
import type { ReadRange } from './chunks.js'
import type { AppendPort } from './zip-writer.js'

/** Posts one multipart body of chunks; resolves on 2xx, else throws one line naming the status and Sentry's answer. */
export type PostChunks = (url: string, body: Buffer[], contentType: string, what: string) => Promise<void>

/** The bundle on disk while it is built and uploaded (RUNNER_TEMP, else the system's temp dir); remove() deletes it. */
export interface TempBundleFile extends AppendPort {
  readonly path: string
  size(): number
  read: ReadRange
  remove(): Promise<void>
}
