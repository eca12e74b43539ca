// The body of POST artifactbundle/assemble/ checked as Sentry does: orjson.loads, then jsonschema.validate, whose
// best_match error names the field (api/endpoints/organization_artifactbundle_assemble.py post; jsonschema
// exceptions.py best_match / relevance; _keywords.py messages).

export interface AssembleBody {
  checksum: string
  chunks: string[]
  projects: string[]
  version?: string
  dist?: string
}

/** Sentry's message per field when the failing value lies under it. */
const FIELD_MESSAGES: Record<string, string> = {
  version: 'The version field cannot be empty and cannot contain any "/" characters.',
  dist: 'The dist field must be a string.',
  projects: 'The projects field is required and must be provided as an array of strings.',
  checksum: 'The checksum field is required and must be a 40-character hexadecimal string.',
  chunks: 'The chunks field is required and must be provided as an array of 40-character hexadecimal strings.'
}
const PROPERTIES = ['version', 'dist', 'projects', 'checksum', 'chunks']
const REQUIRED = ['checksum', 'chunks', 'projects']
/** "^[0-9a-f]{40}$" under Python's re.search, where `$` also matches before a final newline. */
const SHA1 = /^[0-9a-f]{40}\n?$/
const VERSION = /^[^/]+\n?$/

interface SchemaError {
  path: Array<string | number>
  message: string
}

/** Python's float repr: shortest digits, exponent form below 1e-4 and from 1e16, two-digit exponents. */
function pyFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan'
  const abs = Math.abs(n)
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2')
  }
  const text = String(n)
  return /[.e]/.test(text) ? text : `${text}.0`
}

function pyString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  const escaped = [...s]
    .map(c => {
      if (c === '\\' || c === quote) return `\\${c}`
      if (c === '\n') return '\\n'
      if (c === '\r') return '\\r'
      if (c === '\t') return '\\t'
      const code = c.codePointAt(0) ?? 0
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c
    })
    .join('')
  return `${quote}${escaped}${quote}`
}

/**
 * Python's repr of a parsed JSON value; `floats` says which numbers orjson read as floats (written with '.' or an
 * exponent), which JSON.parse cannot tell.
 */
export function pyRepr(value: unknown, isFloat: (n: number) => boolean = () => false): string {
  if (value === null) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'number') return isFloat(value) ? pyFloat(value) : String(value)
  if (typeof value === 'string') return pyString(value)
  if (Array.isArray(value)) return `[${value.map(v => pyRepr(v, isFloat)).join(', ')}]`
  const entries = Object.entries(value as Record<string, unknown>)
  return `{${entries.map(([k, v]) => `${pyString(k)}: ${pyRepr(v, isFloat)}`).join(', ')}}`
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Errors of one property's subschema, in jsonschema's order; paths start with the property. */
function propertyErrors(name: string, value: unknown): SchemaError[] {
  const at = (...path: Array<string | number>): SchemaError => ({ path: [name, ...path], message: FIELD_MESSAGES[name] })
  if (name === 'version') return typeof value !== 'string' || !VERSION.test(value) ? [at()] : []
  if (name === 'dist') return typeof value !== 'string' ? [at()] : []
  if (name === 'checksum') return typeof value !== 'string' || !SHA1.test(value) ? [at()] : []
  if (!Array.isArray(value)) return [at()]
  const badItem = name === 'chunks' ? (v: unknown) => typeof v !== 'string' || !SHA1.test(v) : (v: unknown) => typeof v !== 'string'
  return value.flatMap((v, i) => (badItem(v) ? [at(i)] : []))
}

function schemaErrors(data: unknown, isFloat: (n: number) => boolean): SchemaError[] {
  if (!isObject(data)) return [{ path: [], message: `${pyRepr(data, isFloat)} is not of type 'object'` }]
  const errors = PROPERTIES.filter(p => p in data).flatMap(p => propertyErrors(p, data[p]))
  for (const p of REQUIRED) if (!(p in data)) errors.push({ path: [], message: `'${p}' is a required property` })
  const extras = Object.keys(data)
    .filter(k => !PROPERTIES.includes(k))
    .sort()
  if (extras.length > 0) {
    const names = `${extras.map(pyString).join(', ')} ${extras.length === 1 ? 'was' : 'were'}`
    errors.push({ path: [], message: `Additional properties are not allowed (${names} unexpected)` })
  }
  return errors
}

function comparePaths(a: Array<string | number>, b: Array<string | number>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1
  }
  return a.length - b.length
}

/** best_match: the highest relevance (shallowest path, then the greatest path), the first of equals. */
function bestMatch(errors: SchemaError[]): SchemaError {
  return errors.reduce((best, e) => {
    const depth = best.path.length - e.path.length
    return depth > 0 || (depth === 0 && comparePaths(e.path, best.path) > 0) ? e : best
  })
}

/** The numbers a JSON text writes as floats, by value. */
function floatsIn(text: string): (n: number) => boolean {
  const floats = new Set<number>()
  for (const m of text.matchAll(/"(?:[^"\\]|\\.)*"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g)) {
    if (m[1] !== undefined && /[.eE]/.test(m[1])) floats.add(Number(m[1]))
  }
  return n => floats.has(n)
}

/** The validated body, or the `error` of Sentry's 400 answer. */
export function parseAssembleBody(raw: Buffer): { data: AssembleBody } | { error: string } {
  let text: string
  let data: unknown
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw)
    data = JSON.parse(text)
  } catch {
    return { error: 'Invalid json body' }
  }
  const errors = schemaErrors(data, floatsIn(text))
  if (errors.length > 0) return { error: bestMatch(errors).message }
  return { data: data as AssembleBody }
}
