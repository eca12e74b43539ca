// Public types of the emulator (described in emulator/README.md).
import type { Limit, RateLimitTable } from './rate-limit.js'

export interface SeedRepository {
  name: string
  /** 'github': added through the GitHub integration (fetch_commits can fetch it); absent or null: no provider. */
  provider?: 'github' | null
  url?: string
  status?: 'active' | 'disabled' | 'hidden'
  /** GitHub's repository id; default: the emulator's row id for a GitHub repository, null without provider. */
  externalId?: string
}
export interface SeedProject {
  slug: string
  id?: number
  platform?: string
}
export interface SeedOrg {
  slug: string
  id?: number
  projects: SeedProject[]
  repositories: SeedRepository[]
}
export interface SeedToken {
  /** The literal bearer value: a user token or a full sntrys_ org token. */
  token: string
  /** Default ['org:ci']. */
  scopes?: string[]
  /** The org an org token belongs to (read from the token when absent); a user token limited to one org. */
  org?: string
  /**
   * User tokens only: slugs of the projects whose team the token's user is a member of (Sentry's has_project_access).
   * Default: every project, as for an owner or with open membership.
   */
  projects?: string[]
}
export interface SeedCommit {
  id: string
  repository?: string
  message?: string
  author_name?: string
  author_email?: string
  timestamp?: string
}
export interface SeedRelease {
  org: string
  version: string
  projects: string[]
  ref?: string
  url?: string
  dateReleased?: string
  dateCreated?: string
  /** New issues first seen in this release (the serializer's newGroups), counted on its first project; default 0. */
  newGroups?: number
  commits?: SeedCommit[]
  /** Recorded as set_refs does, on the repository of that name (created without provider when missing). */
  headCommits?: Array<{ repository: string; commit: string }>
  deploys?: Array<{ environment: string; name?: string; url?: string; dateStarted?: string; dateFinished?: string }>
}
export interface Seed {
  orgs: SeedOrg[]
  tokens: SeedToken[]
  releases?: SeedRelease[]
}

export interface FaultRule {
  method?: string
  /** Matched against the raw URL pathname after the base sub-path; a string matches as a substring. */
  path?: string | RegExp
  /** Matching requests it applies to; default 1; Infinity (or "Infinity" over JSON) allowed. */
  times?: number
  status?: number
  body?: unknown
  /**
   * A Retry-After header, as a proxy in front of Sentry may send (Sentry itself never does). A 429 with it is
   * answered as JSON without the X-Sentry-Rate-Limit-* headers.
   */
  retryAfter?: string
  /** A 429 without retryAfter looks like Sentry's: X-Sentry-Rate-Limit-Reset this many seconds ahead; default 1. */
  resetSeconds?: number
  delayMs?: number
  hang?: boolean
  drop?: boolean
  /** The request finds the release commit lock held: setting commits answers 409 like Sentry. */
  commitLock?: boolean
}

export interface LoggedRequest {
  method: string
  path: string
  query: string
  headers: Record<string, string>
  body: unknown
  status: number
  time: number
  /** Which client connection carried it: the client's port (one value per connection). */
  connection: number
}

/** Chunk-upload limits; defaults are Sentry's (SENTRY_CHUNK_UPLOAD in emulator/chunk-settings.ts). */
export interface ChunkUploadSettings {
  /** SENTRY_CHUNK_UPLOAD_BLOB_SIZE: the largest chunk after decompression, advertised as chunkSize; 8 MiB. */
  chunkSize: number
  /** MAX_CHUNKS_PER_REQUEST: 64. */
  chunksPerRequest: number
  /** MAX_REQUEST_SIZE: the sum of one request's decompressed chunks; 32 MiB. */
  maxRequestSize: number
  /** MAX_FILE_SIZE, advertised as maxFileSize; 4 GiB. */
  maxFileSize: number
  /** system.maximum-file-size: what assembling accepts (summed over the distinct chunks); 2 GiB. */
  assembleMaxFileSize: number
  /** MAX_CONCURRENCY: 8. */
  concurrency: number
  /** Advertised codecs: ['gzip'] ([] is Sentry's chunk-upload.no-compression; zstd cannot be decoded here). */
  compression: string[]
  /** system.upload-url-prefix: when set, the options url is absolute under it; default '' (the server's own URL). */
  uploadUrlPrefix: string
}

export interface ArtifactBundleFile {
  /** The path inside the zip (files/...). */
  path: string
  url: unknown
  type: unknown
  headers: Record<string, unknown>
  /** The debug-id header normalized as Sentry does; null when absent or unparsable. */
  debugId: string | null
  /** UTF-8 text of the file; null when the manifest lists a file the zip lacks. */
  content: string | null
}

/** An artifact bundle as Sentry stored it (ArtifactBundle and its release, project and debug-id rows) and its content. */
export interface ArtifactBundle {
  bundleId: string
  /** SHA-1 of the uploaded file and its chunks in order. */
  checksum: string
  chunks: string[]
  size: number
  artifactCount: number
  releases: Array<{ release: string; dist: string | null }>
  projects: string[]
  /** DebugIdArtifactBundle rows: debug ids of files with a url and a known type. */
  debugIds: Array<{ debugId: string; type: string }>
  manifest: Record<string, unknown>
  files: ArtifactBundleFile[]
  /** The SYSB header (magic, version) when the file starts with one. */
  header: { magic: string; version: number } | null
  /** What Sentry accepted but symbolic cannot use (no header, a listed file missing, a bad debug-id, ...); [] when sound. */
  problems: string[]
  dateAdded: string
}

export interface EmulatorOptions {
  /** Default defaultSeed(); a function receives the base URL once listening (e.g. for org tokens naming it). */
  seed?: Seed | ((url: string) => Seed)
  host?: string
  port?: number
  basePath?: string
  tls?: { key: string | Buffer; cert: string | Buffer }
  /** Working dir(s) the background commit fetch reads: one for every repository, or repository name -> dir. */
  git?: string | Record<string, string>
  fetchDelayMs?: number
  /** Off by default, as in Sentry; one Limit for every endpoint, or a table per group such as SENTRY_RATE_LIMITS. */
  rateLimit?: Limit | RateLimitTable
  quiet?: boolean
  /** Chunk-upload limits to override (e.g. a small chunkSize); Sentry's by default. */
  chunkUpload?: Partial<ChunkUploadSettings>
  /** Delay before the assemble task starts and again before it ends (created -> assembling -> ok/error); default 50 ms. */
  assembleDelayMs?: number
  /** Also fail assembling (state error) on bundle problems Sentry itself lets through; default false. */
  strictBundles?: boolean
}

/** A release's head commit on one repository row (ReleaseHeadCommit). */
export interface HeadCommit {
  repository: string
  repositoryId: string
  commit: string
}

export interface Emulator {
  url: string
  requests: LoggedRequest[]
  /** The client port of every connection accepted since the last reset, in order, whether or not it carried a request. */
  connections: number[]
  addFault(rule: FaultRule): void
  clearFaults(): void
  release(org: string, version: string): Record<string, unknown> | undefined
  deploys(org: string, version: string): Array<Record<string, unknown>>
  /** The release's head commits, one per repository row, oldest row first. */
  headCommits(org: string, version: string): HeadCommit[]
  /** Every repository row of the org (any status), oldest first, as GET repos serializes them. */
  repositories(org: string): Array<Record<string, unknown>>
  /**
   * Adds a repository as Sentry does between runs: with provider 'github' as the GitHub integration adds it (a new row
   * beside an older one of that name made by `commits`), without provider as a hand-made one. Returns it serialized.
   */
  addRepository(org: string, repo: SeedRepository): Record<string, unknown>
  pendingFetches(): number
  /** Artifact bundles assembled for the org, oldest first. */
  artifactBundles(org: string): ArtifactBundle[]
  /** Waits for background commit fetches and assemble tasks. */
  settle(): Promise<void>
  reset(seed?: Seed): void
  stop(): Promise<void>
}
