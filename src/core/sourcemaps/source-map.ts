// Source map JSON (ECMA-426): the few edits injection and upload make. Mappings are never decoded: one line is
// inserted as an empty line group (`;`), and an index map's sections move down by offset.
import { normalizeDebugId } from './debug-id.js'

/** A parsed source map: a regular map (`mappings`) or an index map (`sections`). Other keys are kept as they are. */
export type SourceMapJson = Record<string, unknown>

interface Section {
  offset: { line: number; column: number }
  map: SourceMapJson
}

/** The map parsed, or undefined when the text is not a source map. */
export function parseSourceMap(text: string): SourceMapJson | undefined {
  let map: unknown
  try {
    map = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return undefined
  const record = map as SourceMapJson
  return typeof record.mappings === 'string' || Array.isArray(record.sections) ? record : undefined
}

/** The map's debug ID: `debug_id`, else `debugId` (symbolic prefers the former), normalized; undefined if none. */
export function mapDebugId(map: SourceMapJson): string | undefined {
  return normalizeDebugId(map.debug_id) ?? normalizeDebugId(map.debugId)
}

/** The map with both `debugId` (ECMA-426 proposal, sentry-cli 2.x+) and `debug_id` (older readers) set to the ID. */
export function withDebugId(map: SourceMapJson, debugId: string): SourceMapJson {
  return { ...map, debugId, debug_id: debugId }
}

/**
 * The map for the script with one line inserted before line `line` (0-based), or undefined when that cannot be
 * expressed without decoding: an index map whose sections do not all start at or after the inserted line.
 */
export function insertLine(map: SourceMapJson, line: number): SourceMapJson | undefined {
  if (typeof map.mappings === 'string') return { ...map, mappings: insertEmptyLine(map.mappings, line) }
  const sections = map.sections as Section[]
  if (!sections.every(section => section?.offset && Number.isInteger(section.offset.line) && section.offset.line >= line)) return undefined
  return { ...map, sections: sections.map(section => ({ ...section, offset: { ...section.offset, line: section.offset.line + 1 } })) }
}

/** `mappings` with an empty group before line `line`: groups are separated by ';'. */
function insertEmptyLine(mappings: string, line: number): string {
  let at = 0
  for (let group = 0; group < line; group++) {
    const next = mappings.indexOf(';', at)
    // The map ends before that line: the lines up to it are added empty.
    if (next < 0) return `${mappings}${';'.repeat(line - group)}`
    at = next + 1
  }
  return `${mappings.slice(0, at)};${mappings.slice(at)}`
}

/**
 * The map with prefixes stripped from its `sources`, as sentry-cli's rewrite (rust-sourcemap strip_prefixes): a source
 * starting with prefix + '/' loses it (first matching prefix); `common` adds the longest common directory of the
 * absolute sources. Index maps are stripped section by section. Returns the same object when nothing changes.
 */
export function stripSourcePrefixes(map: SourceMapJson, prefixes: string[], common: boolean): SourceMapJson {
  if (Array.isArray(map.sections)) {
    const sections = (map.sections as Section[]).map(section =>
      section?.map ? { ...section, map: stripSourcePrefixes(section.map, prefixes, common) } : section
    )
    return sections.some((section, index) => section !== (map.sections as Section[])[index]) ? { ...map, sections } : map
  }
  if (!Array.isArray(map.sources)) return map
  const sources = map.sources as unknown[]
  const all = [...prefixes]
  const commonPrefix = common ? commonSourcePrefix(sources.filter((source): source is string => typeof source === 'string')) : undefined
  if (commonPrefix) all.push(commonPrefix)
  if (all.length === 0) return map
  const withSlash = all.map(prefix => (prefix.endsWith('/') ? prefix : `${prefix}/`))
  const stripped = sources.map(source => {
    if (typeof source !== 'string') return source
    const prefix = withSlash.find(candidate => source.startsWith(candidate))
    return prefix ? source.slice(prefix.length) : source
  })
  return stripped.some((source, index) => source !== sources[index]) ? { ...map, sources: stripped } : map
}

/**
 * The longest run of leading path components shared by the absolute sources (`/…` or `C:\…`), as rust-sourcemap's
 * find_common_prefix; undefined when there is none or it is only '/'.
 */
export function commonSourcePrefix(sources: string[]): string | undefined {
  const absolute = sources.filter(source => source.startsWith('/') || /^[a-zA-Z]:[/\\]/.test(source)).map(splitPath)
  if (absolute.length === 0) return undefined
  let shared = absolute[0]
  for (const parts of absolute) {
    let length = 0
    while (length < shared.length && length < parts.length && shared[length] === parts[length]) length++
    shared = shared.slice(0, length)
  }
  const prefix = shared.join('')
  return prefix && prefix !== '/' ? prefix : undefined
}

/** Components that keep their leading separator: '/a/b' -> ['', '/a', '/b']. */
function splitPath(source: string): string[] {
  const parts: string[] = []
  let last = 0
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '/' || source[i] === '\\') {
      parts.push(source.slice(last, i))
      last = i
    }
  }
  if (last < source.length) parts.push(source.slice(last))
  return parts
}
