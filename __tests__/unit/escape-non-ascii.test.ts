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
      'export const emoji = "✅ 😀".length'
    ].join('\n')
    const original = { file: join(dir, 'original.mjs') }
    await writeFile(original.file, source)
    const escaped = await escape('escaped.mjs', source)
    expect(escaped.text).not.toMatch(NON_ASCII)
    expect(escaped.text).toContain("'\\u2019 and \\\\\\u2019'")
    const [before, after] = await Promise.all([original.file, escaped.file].map(file => import(pathToFileURL(file).href)))
    expect({ ...after }).toEqual({ ...before })
    expect(before).toMatchObject({ escaped: '’ and \\’', pattern: true, untagged: '2 ’ …', identifier: 3, json: '’', emoji: 4 })
  })

  test('a non-ASCII character in a tagged template (its raw text would change) stops the build, naming the line', async () => {
    const file = join(dir, 'tagged.mjs')
    await writeFile(file, 'const a = 1\nexport const raw = String.raw`C:\\…`\n')
    await expect(promisify(execFile)(process.execPath, [SCRIPT, file])).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'non-ASCII characters in tagged templates, whose raw text an escape would change:\n2: String.raw`C:\\…`'
      )
    })
    expect(await readFile(file, 'utf8')).toContain('…')
  })

  test('the committed bundle is ASCII', async () => {
    expect(await readFile('dist/index.js', 'utf8')).not.toMatch(NON_ASCII)
  })
})
