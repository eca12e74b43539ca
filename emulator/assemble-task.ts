// Sentry's assemble_artifacts task for artifact bundles (tasks/assemble.py assemble_artifacts, assemble_file,
// ArtifactBundlePostAssembler), run in the background after a short delay: created -> assembling -> ok / error.
import { createHash, randomUUID } from 'node:crypto'
import type { State } from './state.js'
import type { ArtifactStore, BundleRow, ChunkFileState } from './artifact-store.js'
import { bundleProblems, InvalidBundle, readBundleArchive, truthy, type BundleArchive } from './artifact-archive.js'
import { normalizeDebugId } from './debug-id.js'
import { BackgroundTasks } from './background.js'

export interface AssembleJob {
  orgId: number
  projectIds: number[]
  version: string | undefined
  dist: string | undefined
  checksum: string
  chunks: string[]
}

export interface AssemblerOptions {
  /** Before the task starts (state created) and before it finishes (state assembling). */
  delayMs: number
  /** get_max_file_size(organization): system.maximum-file-size. */
  maxFileSize: number
  /** Bundle problems fail the task (not Sentry's behaviour: see bundleProblems). */
  strict: boolean
  log: (line: string) => void
}

/** AssembleArtifactsError: its message is the status detail. */
class AssembleError extends Error {}

/** ReleaseArtifactBundle.release_name and dist_name are varchar(250) and varchar(64): longer fails the insert. */
const MAX_RELEASE_LENGTH = 250
const MAX_DIST_LENGTH = 64

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** assemble_file: the org's blobs joined in the sent order, checked against the maximum size and the checksum. */
function assembleFile(store: ArtifactStore, job: AssembleJob, maxFileSize: number): Buffer {
  const distinct = [...new Set(job.chunks)]
  const blobs = distinct.map(c => store.ownedBlob(job.orgId, c))
  // The size is summed over the distinct blobs found, not over the file.
  const size = blobs.reduce((sum, b) => sum + (b?.length ?? 0), 0)
  if (size > maxFileSize) {
    const name = `bundle-artifacts-${randomUUID().replace(/-/g, '')}.zip`
    throw new AssembleError(`File ${name} exceeds maximum size (${size} > ${maxFileSize})`)
  }
  if (blobs.some(b => b === undefined)) throw new AssembleError('Not all chunks available for assembling')
  const data = Buffer.concat(job.chunks.map(c => store.ownedBlob(job.orgId, c) as Buffer))
  if (createHash('sha1').update(data).digest('hex') !== job.checksum) throw new AssembleError('Reported checksum mismatch')
  return data
}

/** Python's `x or y` over a request field and a manifest value, as the release/dist name Sentry stores. */
function nameOf(requested: string | undefined, fromManifest: unknown): string | null {
  if (requested) return requested
  if (!truthy(fromManifest)) return null
  return typeof fromManifest === 'string' ? fromManifest : JSON.stringify(fromManifest)
}

/** The manifest's debug_id normalized, else the checksum normalized, cut to a UUID's 36 characters. */
function bundleIdOf(archive: BundleArchive, checksum: string): string {
  const raw = archive.manifest.debug_id
  // A non-string debug_id raises outside the validation guard: an internal server error.
  if (raw !== undefined && raw !== null && typeof raw !== 'string') throw new Error('debug_id is not a string')
  const id = (typeof raw === 'string' ? normalizeDebugId(raw) : null) ?? normalizeDebugId(checksum)
  return id ? id.slice(0, 36) : randomUUID().replace(/-/g, '')
}

interface BundleTarget {
  bundleId: string
  release: string | null
  dist: string
}

/**
 * _create_artifact_bundle up to its transaction: request fields before the manifest's, the bundle id, and the rule
 * that a bundle needs debug ids or a release.
 */
function targetOf(job: AssembleJob, archive: BundleArchive): BundleTarget {
  const release = nameOf(job.version, archive.manifest.release)
  const dist = nameOf(job.dist, archive.manifest.dist) ?? ''
  const bundleId = bundleIdOf(archive, job.checksum)
  if (archive.debugIds.length === 0 && !release) throw new AssembleError('uploading a bundle without debug ids or release is prohibited')
  return { bundleId, release, dist }
}

/** The transaction: one row per bundle id, updated by a new upload; associations added, its debug ids kept. */
function saveBundle(store: ArtifactStore, job: AssembleJob, archive: BundleArchive, target: BundleTarget, problems: string[]): void {
  const { bundleId, release, dist } = target
  if ((release?.length ?? 0) > MAX_RELEASE_LENGTH || dist.length > MAX_DIST_LENGTH) {
    throw new Error('value too long for type character varying')
  }
  const now = new Date().toISOString()
  let row = store.bundles.find(b => b.orgId === job.orgId && b.bundleId === bundleId)
  if (row) {
    Object.assign(row, { checksum: job.checksum, chunks: job.chunks, artifactCount: archive.artifactCount, dateAdded: now, problems })
  } else {
    row = {
      orgId: job.orgId,
      bundleId,
      checksum: job.checksum,
      chunks: job.chunks,
      artifactCount: archive.artifactCount,
      releases: [],
      projectIds: [],
      debugIds: archive.debugIds,
      dateAdded: now,
      dateUploaded: now,
      problems
    } satisfies BundleRow
    store.bundles.push(row)
  }
  if (release && !row.releases.some(r => r.release === release && r.dist === dist)) row.releases.push({ release, dist })
  for (const id of job.projectIds) if (!row.projectIds.includes(id)) row.projectIds.push(id)
}

export class Assembler {
  private tasks = new BackgroundTasks()

  constructor(private readonly options: AssemblerOptions) {}

  /** assemble_artifacts.apply_async: the status is already `created`. */
  schedule(state: State, job: AssembleJob): void {
    this.tasks.run(
      this.options.delayMs,
      () => this.run(state.artifacts, job),
      e => this.options.log(`assemble_artifacts ${job.checksum} failed: ${(e as Error).message}`)
    )
  }

  count(): number {
    return this.tasks.count()
  }

  settle(): Promise<void> {
    return this.tasks.settle()
  }

  private async run(store: ArtifactStore, job: AssembleJob): Promise<void> {
    store.setStatus(job.orgId, job.checksum, 'assembling')
    await sleep(this.options.delayMs)
    let state: ChunkFileState = 'ok'
    let detail: string | null = null
    try {
      this.assemble(store, job)
    } catch (e) {
      state = 'error'
      detail = e instanceof AssembleError ? e.message : 'internal server error'
      if (!(e instanceof AssembleError)) this.options.log(`assemble_artifacts ${job.checksum}: ${(e as Error).message}`)
    }
    store.setStatus(job.orgId, job.checksum, state, detail)
  }

  private assemble(store: ArtifactStore, job: AssembleJob): void {
    const data = assembleFile(store, job, this.options.maxFileSize)
    if (job.projectIds.length === 0) throw new AssembleError('uploading an artifact bundle without a project is prohibited')
    let archive: BundleArchive
    try {
      archive = readBundleArchive(data)
    } catch (e) {
      if (e instanceof InvalidBundle) {
        this.options.log(`assemble_artifacts ${job.checksum}: invalid bundle: ${e.message}`)
        throw new AssembleError('the bundle is invalid')
      }
      throw e
    }
    // An empty bundle is dropped and the upload still reports ok.
    if (archive.artifactCount === 0) return
    const target = targetOf(job, archive)
    const problems = bundleProblems(data, archive)
    for (const p of problems) this.options.log(`artifact bundle ${job.checksum}: ${p}`)
    if (this.options.strict && problems.length > 0) throw new AssembleError(`emulator strict bundle check: ${problems.join('; ')}`)
    saveBundle(store, job, archive, target, problems)
  }
}
