import { createHash } from 'node:crypto'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const HEX32 = /^[0-9a-f]{32}$/

/**
 * A deterministic debug ID from bytes: the first 16 bytes of their SHA-1 as a version 5 UUID, as sentry-cli's
 * debug_id_from_bytes_hashed does for one buffer. A script and its map are hashed together (each preceded by its
 * length), so two scripts sharing an identical map still get different IDs (sentry-cli #3350).
 */
export function debugIdFromBytes(...parts: Uint8Array[]): string {
  const hash = createHash('sha1')
  for (const part of parts) {
    if (parts.length > 1) hash.update(`${part.length}:`)
    hash.update(part)
  }
  return debugIdFromDigest(hash.digest())
}

/** The first 16 bytes of a SHA-1 digest as a version 5 UUID (uuid::Builder::from_sha1_bytes). */
export function debugIdFromDigest(digest: Buffer): string {
  const bytes = Buffer.from(digest.subarray(0, 16))
  bytes[6] = (bytes[6] & 0x0f) | 0x50
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A debug ID as Sentry stores it (lower-case hyphenated UUID), from a UUID or 32 hex digits; undefined otherwise. */
export function normalizeDebugId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.trim().toLowerCase()
  if (UUID.test(text)) return text
  if (!HEX32.test(text)) return undefined
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`
}
