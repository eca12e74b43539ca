// Release version rules (Release.is_valid_version) and the versionInfo Sentry derives with relay's parse_release.

export const MAX_VERSION_LENGTH = 200
const BAD_RELEASE_CHARS = /[\r\n\f\t/\\]/

export function isValidVersion(version: string): boolean {
  const stripped = version.trim()
  return !BAD_RELEASE_CHARS.test(version) && !['', '.', '..'].includes(stripped) && stripped.toLowerCase() !== 'latest'
}

const SEMVER = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/
const BUILD_HASH = /^(?:[0-9a-f]{12}|[0-9a-f]{16}|[0-9a-f]{20}|[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i

/** The serializer's versionInfo: package@version split, semver parts when the version parses, build hashes. */
export function versionInfo(release: string): Record<string, unknown> | null {
  if (!isValidVersion(release) || release !== release.trim()) return null
  const at = release.indexOf('@')
  const pkg = at > 0 ? release.slice(0, at) : null
  const raw = at > 0 ? release.slice(at + 1) : release
  const m = SEMVER.exec(raw)
  const buildHash = !m && BUILD_HASH.test(raw) ? raw.toLowerCase() : null
  const version: Record<string, unknown> = { raw }
  if (m) {
    Object.assign(version, {
      major: Number(m[1]),
      minor: Number(m[2] ?? 0),
      patch: Number(m[3] ?? 0),
      pre: m[5] ?? null,
      buildCode: m[6] ?? null,
      components: m.slice(1, 5).filter(Boolean).length
    })
  }
  return { package: pkg, version, description: buildHash ? buildHash.slice(0, 12) : raw, buildHash }
}
