import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { DEFAULT_TOKEN, type Emulator, startEmulator } from '../../emulator/index.js'
import { runProcess } from '../../harness/run-action.js'

// The README's commands work when pasted: its hand-run snippet, as written, against an emulator (the only change is
// the emulator's port and the token the README tells the reader to paste).

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({})
})
afterAll(() => emulator.stop())

/** The first ```sh block after the line that starts with `lead`. */
function shellBlockAfter(lead: string): string {
  const from = readme.indexOf(lead)
  expect(from).toBeGreaterThan(-1)
  const [, block] = /```sh\n([\s\S]*?)```/.exec(readme.slice(from)) ?? []
  return block
}

test('"run the bundled action against it by hand": the snippet releases, outputs print as ::set-output lines', async () => {
  const snippet = shellBlockAfter('To run the bundled action against it by hand')
  expect(snippet).toContain('<printed token>')
  const script = snippet.replace('<printed token>', DEFAULT_TOKEN).replace('http://127.0.0.1:8000', emulator.url)
  // From the repository root, as the README is read; only the PATH and HOME of a shell (npm test puts Node 24 first).
  const run = await runProcess('bash', ['-c', script], { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, process.cwd())
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' })
  expect(run.stdout).toContain('::set-output name=release::v1.0.0')
  expect(emulator.release('acme', 'v1.0.0')).toMatchObject({ version: 'v1.0.0', projects: [expect.objectContaining({ slug: 'web' })] })
})
