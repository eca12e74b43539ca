// What Sentry keeps for chunk uploads and artifact bundles: FileBlobs with their owning orgs, the assemble status
// cache (tasks/assemble.py get/set_assemble_status, 10 minutes) and ArtifactBundle rows with their associations.

export type ChunkFileState = 'ok' | 'not_found' | 'created' | 'assembling' | 'error'
export type SourceFileType = 'source' | 'minified_source' | 'source_map' | 'indexed_ram_bundle'

/** set_assemble_status keeps a status for 600 seconds. */
const STATUS_TTL_MS = 600_000

/** An ArtifactBundle with its ReleaseArtifactBundle, ProjectArtifactBundle and DebugIdArtifactBundle rows. */
export interface BundleRow {
  orgId: number
  bundleId: string
  /** The File: its checksum and the chunks it is made of, in order. */
  checksum: string
  chunks: string[]
  artifactCount: number
  /** Release associations; dist '' stands for none, as in Sentry's tables. */
  releases: Array<{ release: string; dist: string }>
  projectIds: number[]
  debugIds: Array<{ debugId: string; type: SourceFileType }>
  dateAdded: string
  dateUploaded: string
  /** What Sentry accepts but cannot use (see artifact-archive.ts bundleProblems). */
  problems: string[]
}

export class ArtifactStore {
  /** FileBlob by checksum, shared by all orgs; FileBlobOwner says which orgs own it. */
  private blobs = new Map<string, Buffer>()
  private owners = new Map<string, Set<number>>()
  private statuses = new Map<string, { state: ChunkFileState; detail: string | null; expires: number }>()
  readonly bundles: BundleRow[] = []

  /** Stores a blob (when new) and makes the org an owner. */
  addBlob(orgId: number, checksum: string, data: Buffer): void {
    if (!this.blobs.has(checksum)) this.blobs.set(checksum, data)
    const owners = this.owners.get(checksum) ?? new Set<number>()
    owners.add(orgId)
    this.owners.set(checksum, owners)
  }

  /** The blob when the org owns it. */
  ownedBlob(orgId: number, checksum: string): Buffer | undefined {
    return this.owners.get(checksum)?.has(orgId) ? this.blobs.get(checksum) : undefined
  }

  status(orgId: number, checksum: string, now = Date.now()): { state: ChunkFileState | null; detail: string | null } {
    const entry = this.statuses.get(`${orgId}|${checksum}`)
    if (!entry || entry.expires <= now) return { state: null, detail: null }
    return { state: entry.state, detail: entry.detail }
  }

  setStatus(orgId: number, checksum: string, state: ChunkFileState, detail: string | null = null, now = Date.now()): void {
    this.statuses.set(`${orgId}|${checksum}`, { state, detail, expires: now + STATUS_TTL_MS })
  }

  /** A bundle's bytes: its chunks joined, as File.getfile() reads them. */
  bundleData(row: BundleRow): Buffer {
    return Buffer.concat(row.chunks.map(c => this.blobs.get(c) ?? Buffer.alloc(0)))
  }
}
