// Debug IDs as Sentry normalizes them: symbolic's normalize_debug_id is DebugId::from_str then Display
// (getsentry/rust-debugid src/lib.rs: DebugId::parse_str with allow_hyphens, allow_tail; fmt::Display).

const MAX_U32 = 0xffffffff

/** Rust's u32::from_str_radix(s, 16): an optional '+', then one or more hex digits, at most u32::MAX. */
function hexU32(s: string): number | null {
  if (!/^\+?[0-9a-fA-F]+$/.test(s)) return null
  const value = parseInt(s.replace(/^\+/, ''), 16)
  return value > MAX_U32 ? null : value
}

/** The uuid crate's parse of the 32 (simple) or 36 (hyphenated 8-4-4-4-12) characters taken as the UUID. */
function uuidOf(s: string): string | null {
  const simple = s.length === 32 ? s : /^[^-]{8}-[^-]{4}-[^-]{4}-[^-]{4}-[^-]{12}$/.test(s) ? s.replace(/-/g, '') : ''
  if (!/^[0-9a-fA-F]{32}$/.test(simple)) return null
  const h = simple.toLowerCase()
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

const withAppendix = (base: string, appendix: number): string => (appendix > 0 ? `${base}-${appendix.toString(16)}` : base)

/** The normalized form of a debug ID (lower-case hyphenated UUID, `-appendix` when non-zero), or null when it does not parse. */
export function normalizeDebugId(id: string): string | null {
  if (!/^[\x00-\x7f]*$/.test(id)) return null
  const hyphenated = id[8] === '-'
  // The PDB 2.0 form: an 8-digit timestamp and an appendix, shown as upper-case hex.
  if (id.length >= (hyphenated ? 10 : 9) && id.length <= (hyphenated ? 17 : 16)) {
    const timestamp = hexU32(id.slice(0, 8))
    const appendix = hexU32(id.slice(hyphenated ? 9 : 8))
    if (timestamp === null || appendix === null) return null
    return withAppendix(timestamp.toString(16).toUpperCase().padStart(8, '0'), appendix)
  }
  const uuidLength = hyphenated ? 36 : 32
  if (id.length < uuidLength) return null
  const uuid = uuidOf(id.slice(0, uuidLength))
  if (uuid === null) return null
  if (id.length === uuidLength) return uuid
  let tail = id.slice(uuidLength)
  if (hyphenated !== tail.startsWith('-')) return null
  if (hyphenated) tail = tail.slice(1)
  const appendix = hexU32(tail.slice(0, 8))
  return appendix === null ? null : withAppendix(uuid, appendix)
}
