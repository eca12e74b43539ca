// GitHub keeps at most 1 MB of a job's outputs, all of them together, their size approximated as UTF-16 (GitHub's docs,
// "Defining outputs for jobs": "Outputs can be a maximum of 1 MB per job … Size is approximated based on UTF-16
// encoding"). Only `json` can come near that from a real Sentry; a server that is not behaving can make any value huge.
import { inert } from './log-text.js'

/** What the action's outputs may take together, in UTF-16 bytes (two per code unit). */
export const OUTPUTS_MAX_BYTES = 1_000_000
/** No output but `json` has a real value near this many characters (Sentry stores names and URLs of at most 200). */
export const OUTPUT_MAX_CHARS = 10_000
const FIELDS_NAMED = 10

/** The outputs as they fit GitHub's limit, and what was left out, in words for a notice (undefined: nothing). */
export interface FittedOutputs {
  outputs: Record<string, string>
  cut?: string
}

/**
 * Pure: outputs -> outputs within OUTPUTS_MAX_BYTES. An output other than `json` longer than OUTPUT_MAX_CHARS is left
 * out whole (a cut value would read as a real one). `json` stays valid JSON: when it does not fit in what the others
 * leave, Sentry's largest top-level fields are left out of it, one at a time, until it fits. `release` is the object
 * `json` serializes (or failed to: undefined json with a release means JSON.stringify refused it, e.g. too deep).
 */
export function fitOutputs(outputs: Record<string, string>, release?: Record<string, unknown>): FittedOutputs {
  const fitted: Record<string, string> = {}
  const notes: string[] = []
  for (const [name, value] of Object.entries(outputs)) {
    if (name === 'json') continue
    if (value.length <= OUTPUT_MAX_CHARS) fitted[name] = value
    else notes.push(`output '${name}' (${value.length} characters) is left out`)
  }
  const used = Object.entries(fitted).reduce((sum, [name, value]) => sum + name.length + value.length, 0)
  const budget = OUTPUTS_MAX_BYTES / 2 - used - 'json'.length
  const json = outputs.json
  if (json !== undefined && json.length <= budget) {
    fitted.json = json
  } else if (release !== undefined) {
    const { text, dropped } = jsonWithin(release, budget)
    fitted.json = text
    const named = dropped
      .slice(0, FIELDS_NAMED)
      .map(field => inert(field, 40))
      .join(', ')
    const more = dropped.length > FIELDS_NAMED ? ` and ${dropped.length - FIELDS_NAMED} more` : ''
    notes.push(`output 'json' leaves out Sentry's field(s) ${named}${more}`)
  }
  if (notes.length === 0) return { outputs: fitted }
  return { outputs: fitted, cut: `GitHub keeps at most 1 MB of a job's outputs: ${notes.join('; ')}.` }
}

/** The object as JSON of at most `budget` characters, its largest top-level fields (or those JSON refuses) left out first. */
function jsonWithin(record: Record<string, unknown>, budget: number): { text: string; dropped: string[] } {
  // Each field's share of the JSON: "name":value plus a comma.
  const fields = Object.entries(record).map(([name, value]) => ({ name, size: JSON.stringify(name).length + 2 + jsonLength(value) }))
  const refused = fields.filter(field => field.size === Infinity)
  const sized = fields.filter(field => field.size !== Infinity).sort((a, b) => b.size - a.size)
  let total = 2 + sized.reduce((sum, field) => sum + field.size, 0)
  const dropped = refused.map(field => field.name)
  for (const field of sized) {
    if (total <= budget) break
    total -= field.size
    dropped.push(field.name)
  }
  const left = new Set(dropped)
  return { text: JSON.stringify(Object.fromEntries(Object.entries(record).filter(([name]) => !left.has(name)))), dropped }
}

/** A value's JSON length; Infinity when JSON.stringify refuses it (nesting deeper than its stack). */
function jsonLength(value: unknown): number {
  return jsonText(value)?.length ?? Infinity
}

/** JSON.stringify, or undefined when it refuses the value (a server's answer nested deeper than its stack). */
export function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return undefined
  }
}
