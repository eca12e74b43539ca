// A small Django REST Framework: field parsers that fail with DRF's exact messages.

export type ErrorDetail = string[] | { [field: string]: ErrorDetail }

/** A validation failure carrying DRF's error detail for one field or object. */
export class Invalid extends Error {
  constructor(readonly detail: ErrorDetail) {
    super('invalid')
  }
}

export type Parse<T = unknown> = (value: unknown) => T
export interface Field<T = unknown> {
  parse: Parse<T>
  required?: boolean
  allowNull?: boolean
}
export type Spec = Record<string, Field>

/** Python's len(): code points, not UTF-16 units, so an emoji counts as one character. */
export const charCount = (text: string): number => [...text].length

/** Python's text[:max]: cut after `max` code points, never inside a surrogate pair. */
export const truncateChars = (text: string, max: number): string => [...text].slice(0, max).join('')

function fail(message: string): never {
  throw new Invalid([message])
}

/** The Python type name DRF puts in its messages. */
export function pythonType(value: unknown): string {
  if (value === null) return 'NoneType'
  if (Array.isArray(value)) return 'list'
  if (typeof value === 'string') return 'str'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float'
  return 'dict'
}

export function charField(o: { max?: number; allowBlank?: boolean; trim?: boolean } = {}): Parse<string> {
  return value => {
    if (typeof value === 'boolean' || !['string', 'number'].includes(typeof value)) fail('Not a valid string.')
    const text = o.trim === false ? String(value) : String(value).trim()
    if (text === '') return o.allowBlank ? '' : fail('This field may not be blank.')
    if (o.max !== undefined && charCount(text) > o.max) fail(`Ensure this field has no more than ${o.max} characters.`)
    return text
  }
}

// Django's URLValidator: http(s)/ftp(s), a host that is localhost, an IP or a dotted name with a TLD.
const URL_PATTERN = new RegExp(
  '^(?:http|ftp)s?://(?:[^\\s:@/]+(?::[^\\s@/]*)?@)?' +
    '(?:localhost|\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-f:.]+\\]|(?:[a-z0-9\\u00a1-\\uffff](?:[a-z0-9\\u00a1-\\uffff-]{0,61}[a-z0-9\\u00a1-\\uffff])?\\.)+[a-z\\u00a1-\\uffff-]{2,63}\\.?)' +
    '(?::\\d{1,5})?(?:[/?#]\\S*)?$',
  'i'
)

export function urlField(): Parse<string> {
  const text = charField({ allowBlank: true })
  return value => {
    const url = text(value)
    if (url !== '' && (charCount(url) > 2048 || !URL_PATTERN.test(url))) fail('Enter a valid URL.')
    return url
  }
}

// Django's parse_datetime (plus a date-only value, which Python 3.11's fromisoformat accepts); naive means UTC.
const DATETIME_PATTERN =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d*)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/

const DATETIME_FORMAT_ERROR =
  'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'

const pad = (n: string): string => n.padStart(2, '0')

export function dateTimeField(): Parse<string> {
  return value => {
    const m = typeof value === 'string' ? DATETIME_PATTERN.exec(value) : null
    if (!m) fail(DATETIME_FORMAT_ERROR)
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', tz = 'Z'] = m
    const zone = tz === 'Z' ? 'Z' : `${tz.slice(0, 3)}:${tz.length > 3 ? tz.slice(-2) : '00'}`
    const iso = `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${frac.padEnd(3, '0').slice(0, 3)}${zone}`
    const time = Date.parse(iso)
    if (Number.isNaN(time) || new Date(Date.parse(`${y}-${pad(mo)}-${pad(d)}T00:00:00Z`)).getUTCDate() !== Number(d)) {
      fail(DATETIME_FORMAT_ERROR)
    }
    return new Date(time).toISOString()
  }
}

/** A list whose first bad element's errors are surfaced unindexed (Sentry's pre-DRF-3.8 ListField patch). */
export function listField<T>(child: Parse<T>, o: { allowEmpty?: boolean } = {}): Parse<T[]> {
  return value => {
    if (!Array.isArray(value)) fail(`Expected a list of items but got type "${pythonType(value)}".`)
    if (value.length === 0 && o.allowEmpty === false) fail('This list may not be empty.')
    return value.map(child)
  }
}

/** Runs every field of the spec and collects all field errors, like Serializer.is_valid(). */
export function objectField(spec: Spec): Parse<Record<string, unknown>> {
  return data => {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new Invalid({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonType(data)}.`] })
    }
    const input = data as Record<string, unknown>
    const out: Record<string, unknown> = {}
    const errors: Record<string, ErrorDetail> = {}
    for (const [name, field] of Object.entries(spec)) {
      try {
        const value = parseField(field, input[name])
        if (value !== undefined) out[name] = value
      } catch (e) {
        if (!(e instanceof Invalid)) throw e
        errors[name] = e.detail
      }
    }
    if (Object.keys(errors).length > 0) throw new Invalid(errors)
    return out
  }
}

function parseField(field: Field, value: unknown): unknown {
  if (value === undefined) return field.required ? fail('This field is required.') : undefined
  if (value === null) return field.allowNull ? null : fail('This field may not be null.')
  return field.parse(value)
}

/** Helpers that read like DRF declarations. */
export const required = <T>(parse: Parse<T>): Field<T> => ({ parse, required: true })
export const optional = <T>(parse: Parse<T>): Field<T> => ({ parse })
export const nullable = <T>(parse: Parse<T>): Field<T> => ({ parse, allowNull: true })
