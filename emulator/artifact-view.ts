// Stored artifact bundles as tests see them: the rows Sentry keeps plus the bundle's manifest and files read back.
import type { Org } from './model.js'
import type { ArtifactStore, BundleRow } from './artifact-store.js'
import { lowerKeys, readBundleArchive } from './artifact-archive.js'
import { normalizeDebugId } from './debug-id.js'
import type { ArtifactBundle, ArtifactBundleFile } from './types.js'

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function fileOf(path: string, info: Record<string, unknown>, read: (path: string) => Buffer): ArtifactBundleFile {
  const headers = isDict(info.headers) ? info.headers : {}
  const debugId = lowerKeys(headers)['debug-id']
  let content: string | null
  try {
    content = read(path).toString('utf8')
  } catch {
    content = null
  }
  return {
    path,
    url: info.url,
    type: info.type,
    headers,
    debugId: typeof debugId === 'string' ? normalizeDebugId(debugId) : null,
    content
  }
}

export function viewBundle(store: ArtifactStore, org: Org, row: BundleRow): ArtifactBundle {
  const data = store.bundleData(row)
  const archive = readBundleArchive(data)
  const magic = data.subarray(0, 4).toString('latin1')
  return {
    bundleId: row.bundleId,
    checksum: row.checksum,
    chunks: row.chunks,
    size: data.length,
    artifactCount: row.artifactCount,
    releases: row.releases.map(r => ({ release: r.release, dist: r.dist || null })),
    projects: row.projectIds.map(id => org.projects.find(p => p.id === id)?.slug ?? String(id)),
    debugIds: row.debugIds,
    manifest: archive.manifest,
    files: Object.entries(archive.files).map(([path, info]) => fileOf(path, info, p => archive.zip.read(p))),
    header: magic === 'SYSB' && data.length >= 8 ? { magic, version: data.readUInt32LE(4) } : null,
    problems: row.problems,
    dateAdded: row.dateAdded
  }
}
