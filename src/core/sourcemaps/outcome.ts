// What the source-map step did, file by file and for the bundle: the step builds it, the report turns it into text.
import type { ScriptChange } from './inject.js'
import type { SourceMapSettings } from './settings.js'

/** What happened to one file, for the log, the summary and the outputs. */
export interface FileReport {
  path: string
  url: string
  kind: 'script' | 'map'
  debugId?: string
  /** A script's change; a map's is 'updated' (ID written, maybe shifted) or 'unchanged'. */
  change: ScriptChange | 'read' | 'updated' | 'unchanged' | 'skipped'
  /** A script's map: the URL it references it by, 'embedded' for a data: URL. */
  sourceMap?: string
  note?: string
}

/** The bundle built for the upload (or, in a dry run, that would be uploaded). */
export interface BuiltBundle {
  id: string
  checksum: string
  size: number
  files: number
  chunks: number
  chunkSize: number
}

export interface UploadResult {
  /** Chunks sent (0 when Sentry had them all). */
  chunksSent: number
  bytesSent: number
  /** The final assemble state: ok. */
  state: string
}

export interface SourceMapOutcome {
  mode: SourceMapSettings['mode']
  dryRun: boolean
  files: FileReport[]
  bundle?: BuiltBundle
  upload?: UploadResult
  /** The requests made (or, in a dry run, that would be). */
  requests: string[]
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}
