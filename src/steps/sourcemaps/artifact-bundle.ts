// The artifact bundle Sentry assembles (getsentry/symbolic symbolic-debuginfo src/sourcebundle/mod.rs, as sentry-cli's
// src/utils/source_bundle.rs builds it): the 8-byte header "SYSB" + version 2 (u32 little-endian), then a ZIP whose
// entries are files/<bundle path> and, last, manifest.json naming each file's type, URL and headers, and the org,
// project (only when there is exactly one), release, dist and the bundle's own debug_id.
import { createHash, type Hash } from 'node:crypto'
import { debugIdFromDigest } from '../../core/sourcemaps/debug-id.js'
import { type AppendPort, compressEntry, type CompressedEntry, ZipWriter } from './zip-writer.js'

/** The file types Sentry reads from a bundle (SourceFileType, snake_case in the manifest). */
export type BundleFileType = 'minified_source' | 'source_map'

/** One file of the bundle. */
export interface BundleFile {
  url: string
  type: BundleFileType
  /** `debug-id` and, for a script, `sourcemap` (the URL its map is referenced by). */
  headers: Record<string, string>
  bytes: Uint8Array
}

/** Who the bundle is for. */
export interface BundleAttributes {
  org: string
  projects: string[]
  release?: string
  dist?: string
}

interface ManifestEntry {
  type: BundleFileType
  url: string
  headers?: Record<string, string>
}

const HEADER = Buffer.from([0x53, 0x59, 0x53, 0x42, 2, 0, 0, 0])

/**
 * Writes a bundle to an append-only port. Files are added in order, compressed by prepareBundleFile (so only the
 * compressed bytes wait for their turn); finish writes the manifest and the central directory.
 */
export class ArtifactBundleWriter {
  private readonly zip: ZipWriter
  private readonly manifest = new Map<string, ManifestEntry>()
  private readonly bundleHash: Hash = createHash('sha1')
  private started = false

  constructor(
    private readonly out: AppendPort,
    private readonly attributes: BundleAttributes
  ) {
    this.zip = new ZipWriter(out, HEADER.length)
  }

  /** The number of files added. */
  get size(): number {
    return this.manifest.size
  }

  async add(file: PreparedBundleFile): Promise<void> {
    if (!this.started) {
      await this.out.append(HEADER)
      this.started = true
    }
    const name = this.uniqueName(`files/${file.bundlePath}`)
    await this.zip.add({ ...file.compressed, name })
    this.manifest.set(name, manifestEntry(file.file))
    hashForBundleId(this.bundleHash, file)
  }

  /** Writes manifest.json and the central directory; returns the bundle's debug ID. */
  async finish(): Promise<string> {
    if (!this.started) {
      await this.out.append(HEADER)
      this.started = true
    }
    const bundleId = debugIdFromDigest(this.bundleHash.digest())
    const files = Object.fromEntries([...this.manifest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    const { org, projects, release, dist } = this.attributes
    // Attribute keys in byte order, as symbolic's BTreeMap writes them.
    const manifest = {
      files,
      debug_id: bundleId,
      ...(dist !== undefined && release !== undefined ? { dist } : {}),
      org,
      ...(projects.length === 1 ? { project: projects[0] } : {}),
      ...(release !== undefined ? { release } : {})
    }
    await this.zip.add(compressEntry('manifest.json', Buffer.from(JSON.stringify(manifest))))
    await this.zip.finish()
    return bundleId
  }

  /** files/x, then files/x.1, files/x.2, … as symbolic's unique_path. */
  private uniqueName(name: string): string {
    let unique = name
    for (let count = 1; this.manifest.has(unique); count++) unique = `${name}.${count}`
    return unique
  }
}

/** A file compressed and placed, ready for ArtifactBundleWriter.add. */
export interface PreparedBundleFile {
  file: Omit<BundleFile, 'bytes'>
  /** SHA-1 of the bytes, for the bundle's debug ID. */
  digest: Buffer
  bundlePath: string
  compressed: Omit<CompressedEntry, 'name'>
}

/** Compresses a file for the bundle; the bytes are not kept. */
export function prepareBundleFile(file: BundleFile): PreparedBundleFile {
  const bundlePath = urlToBundlePath(file.url)
  const { name: _name, ...compressed } = compressEntry(bundlePath, file.bytes)
  const digest = createHash('sha1').update(file.bytes).digest()
  return { file: { url: file.url, type: file.type, headers: file.headers }, digest, bundlePath, compressed }
}

function manifestEntry(file: Omit<BundleFile, 'bytes'>): ManifestEntry {
  const headers = Object.fromEntries(
    Object.entries(file.headers)
      .map(([key, value]) => [key.toLowerCase(), value])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  )
  return { type: file.type, url: file.url, ...(Object.keys(headers).length > 0 ? { headers } : {}) }
}

/**
 * Like sentry-cli's build_debug_id, the bundle's ID hashes each file's URL, contents (here: their SHA-1, computed
 * while compressing), type and headers in order: the same files give the same ID.
 */
function hashForBundleId(hash: Hash, { file, digest }: PreparedBundleFile): void {
  hash.update(file.url)
  hash.update(digest)
  hash.update(file.type)
  for (const [key, value] of Object.entries(file.headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    hash.update(key)
    hash.update(value)
  }
}

/**
 * Where a URL's file goes in the bundle, as sentry-cli's url_to_bundle_path: `~/a/b.js` -> `_/_/a/b.js`,
 * `https://cdn.example.com/a.js` -> `https/cdn.example.com/a.js`, `app:///a.js` -> `app/_/a.js`.
 */
export function urlToBundlePath(url: string): string {
  const base = new URL('http://~')
  const parsed = url.startsWith('~/') ? new URL(url.slice(2), base) : new URL(url, base)
  const path = `${parsed.pathname}${parsed.hash}`.replace(/^\//, '')
  if (parsed.hostname === '~') return `_/_/${path}`
  return `${parsed.protocol.slice(0, -1)}/${parsed.hostname || '_'}/${path}`
}
