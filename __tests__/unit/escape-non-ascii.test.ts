import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'

// The build's last step (scripts/escape-non-ascii.mjs) makes dist/index.js pure ASCII, so V8 keeps its source in one
// byte per character (docs/performance.md, "Memory"). It must not change what the bundle does.

const SCRIPT = 'scripts/escape-non-ascii.mjs'
const NON_ASCII = /[^\x00-\x7f]/
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'escape-non-ascii-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function escape(name: string, source: string): Promise<{ file: string; text: string }> {
  const file = join(dir, name)
  await writeFile(file, source)
  await promisify(execFile)(process.execPath, [SCRIPT, file])
  return { file, text: await readFile(file, 'utf8') }
}

describe('escape-non-ascii', () => {
  test('every kind of place a character stands keeps its meaning, and the file becomes ASCII', async () => {
    const source = [
      '// a comment: it’s C:\\… and « » ',
      'export const plain = "It’s done … → · ×"',
      "export const escaped = '\\’ and \\\\’'",
      'export const pattern = /^[’…]+$/u.test("’…’")',
      'export const untagged = `${1 + 1} ’ ${"…"}`',
      'const größe = 3',
      'export const identifier = größe',
      'export const json = JSON.parse(\'{"a":"’"}\').a',
      'export const emoji = "✅ 😀".length',
      'const 𝒜 = 5',
      'export const astral = 𝒜',
      '/* a block comment, « » */ export const nested = String.raw`raw ${`’`}`'
    ].join('\n')
    const original = { file: join(dir, 'original.mjs') }
    await writeFile(original.file, source)
    const escaped = await escape('escaped.mjs', source)
    expect(escaped.text).not.toMatch(NON_ASCII)
    expect(escaped.text).toContain("'\\u2019 and \\\\\\u2019'")
    const [before, after] = await Promise.all([original.file, escaped.file].map(file => import(pathToFileURL(file).href)))
    expect({ ...after }).toEqual({ ...before })
    expect(before).toMatchObject({ escaped: '’ and \\’', pattern: true, untagged: '2 ’ …', identifier: 3, json: '’', emoji: 4 })
    expect(before).toMatchObject({ astral: 5, nested: 'raw ’' })
  })

  // Where an escape would change what the code does, or the file cannot be read as JavaScript, the build stops.
  test.each([
    ['a tagged template (its raw text would change)', 'export const raw = String.raw`C:\\…`', 'U+2026 in tagged template'],
    ['a no-break space between tokens', 'export const a\u00a0= 1', 'U+00A0 in between tokens'],
    ['a line separator in a comment (it ends the line)', '// one\u2028export const a = 1', 'U+2028 in a line break'],
    ['a line continuation by a line separator', 'export const a = "a\\\u2028b"', 'U+2028 in a line break'],
    ['a file that does not parse', 'export const a = "’" +', 'Expression expected']
  ])('%s: the build stops, naming the line, and the file is left as it was', async (_, code, problem) => {
    const file = join(dir, 'refused.mjs')
    const source = `const first = 1\n${code}\n`
    await writeFile(file, source)
    await expect(promisify(execFile)(process.execPath, [SCRIPT, file])).rejects.toMatchObject({
      stderr: expect.stringContaining(`refused.mjs:2: ${problem}`)
    })
    expect(await readFile(file, 'utf8')).toBe(source)
  })

  test('the bundle npm run build makes is ASCII (check-dist holds the committed one to it)', async () => {
    expect(await readFile('dist/index.js', 'utf8')).not.toMatch(NON_ASCII)
  })
})
