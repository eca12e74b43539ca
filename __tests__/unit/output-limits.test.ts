import { describe, expect, test } from '@jest/globals'
import { fitOutputs, jsonText, OUTPUT_MAX_CHARS, OUTPUTS_MAX_BYTES } from '../../src/core/output-limits.js'

/** The outputs' size as GitHub approximates it: UTF-16, two bytes per code unit, names included. */
const utf16Bytes = (outputs: Record<string, string>): number =>
  Object.entries(outputs).reduce((sum, [name, value]) => sum + 2 * (name.length + value.length), 0)

const release = { version: 'v1', commitCount: 2, deployCount: 0, dateCreated: '2024-06-01T10:00:00Z' }
const small = { release: 'v1', commitCount: '2', json: JSON.stringify(release) }

describe('fitOutputs: what a job may keep (1 MB of outputs, UTF-16)', () => {
  test('outputs within the limit are left as they are, with nothing to say', () => {
    expect(fitOutputs(small, release)).toEqual({ outputs: small })
  })

  test("a json too large for what is left: Sentry's largest fields go first, the JSON stays valid, the notice names them", () => {
    const huge = { ...release, authors: Array.from({ length: 40_000 }, (_, i) => ({ name: `author ${i}` })), projects: [{ slug: 'web' }] }
    const { outputs, cut } = fitOutputs({ ...small, json: JSON.stringify(huge) }, huge)
    expect(JSON.parse(outputs.json)).toEqual({ ...release, projects: [{ slug: 'web' }] })
    expect(utf16Bytes(outputs)).toBeLessThanOrEqual(OUTPUTS_MAX_BYTES)
    expect(cut).toBe("GitHub keeps at most 1 MB of a job's outputs: output 'json' leaves out Sentry's field(s) authors.")
  })

  test('a release nested deeper than JSON.stringify goes: json leaves out that field instead of crashing', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)
    const hostile = { ...release, versionInfo: deep }
    expect(jsonText(hostile)).toBeUndefined()
    const { outputs, cut } = fitOutputs({ release: 'v1' }, hostile)
    expect(JSON.parse(outputs.json)).toEqual(release)
    expect(cut).toContain("leaves out Sentry's field(s) versionInfo")
  })

  test('many fields: the notice names ten, counts the rest, and shows each name inert', () => {
    const fields = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}\n::warning::x`, 'y'.repeat(40_000)]))
    const wide = { ...release, ...fields }
    const { outputs, cut } = fitOutputs({ json: JSON.stringify(wide) }, wide)
    expect(utf16Bytes(outputs)).toBeLessThanOrEqual(OUTPUTS_MAX_BYTES)
    const field = 'f\\d+\\\\u000a:\u2060:warning:\u2060:x'
    expect(cut).toMatch(new RegExp(`leaves out Sentry's field\\(s\\) (${field}, ){9}${field} and 8 more\\.$`))
  })

  test('any other output past OUTPUT_MAX_CHARS is left out whole, never cut into a value that reads as real', () => {
    const { outputs, cut } = fitOutputs({ release: 'v1', dateCreated: 'x'.repeat(OUTPUT_MAX_CHARS + 1) })
    expect(outputs).toEqual({ release: 'v1' })
    expect(cut).toBe(`GitHub keeps at most 1 MB of a job's outputs: output 'dateCreated' (${OUTPUT_MAX_CHARS + 1} characters) is left out.`)
  })
})
