/** Helpers for untyped JSON: GitHub event payloads in, Sentry request bodies out. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A non-empty string field, else undefined. */
export function stringField(record: unknown, key: string): string | undefined {
  const value = isRecord(record) ? record[key] : undefined
  return typeof value === 'string' && value !== '' ? value : undefined
}

const TAG_REF_PREFIX = 'refs/tags/'

/** `refs/tags/v1.2.0` -> `v1.2.0`; undefined for any other ref. */
export function tagOfRef(ref: string | undefined): string | undefined {
  return ref?.startsWith(TAG_REF_PREFIX) ? ref.slice(TAG_REF_PREFIX.length) : undefined
}

/** JSON bodies leave out what is unknown rather than sending null (Sentry never clears a field with null). */
export function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(record)) as Record<string, unknown>
}
