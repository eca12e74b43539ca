import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { DEFAULT_TOKEN } from '../../emulator/index.js'
import { useE2eFixture } from '../helpers/e2e-fixture.js'
import { type ProcessRun, runProcess } from '../../harness/run-action.js'
import { assertNoSecretLeak } from '../../harness/secret-scan.js'

// GitHub's @github/local-action runs src/main.ts (through tsx) with its own stand-ins for @actions/core and
// @actions/github's context, fed from a .env file: what `npm run local-action` does with a copy of .env.example.
// The action must reach the emulator, set outputs the tool can list, and never show the token.

const fx = useE2eFixture()
const LOCAL_ACTION = path.resolve('node_modules/@github/local-action/bin/local-action.js')
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sra-local-action-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

function runLocalAction(envFile: string): Promise<ProcessRun> {
  // Only what a developer's shell has: no GITHUB_* of the machine, no jest NODE_OPTIONS.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, NO_COLOR: '1' }
  return runProcess(process.execPath, [LOCAL_ACTION, '.', 'src/main.ts', envFile], env, process.cwd())
}

/** .env.example's variables, with these replaced or added. */
async function exampleEnv(overrides: Record<string, string>): Promise<{ example: Record<string, string>; text: string }> {
  const lines = (await readFile('.env.example', 'utf8')).split('\n').filter(line => /^[A-Z_]+=/.test(line))
  const example = Object.fromEntries(lines.map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]))
  const merged = { ...example, ...overrides }
  return {
    example,
    text:
      Object.entries(merged)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n') + '\n'
  }
}

test('.env.example points at `npm run emulator`: its URL and default token', async () => {
  const { example } = await exampleEnv({})
  expect(example.INPUT_SENTRY_URL).toBe('http://127.0.0.1:8000')
  expect(example.INPUT_AUTH_TOKEN).toBe(DEFAULT_TOKEN)
  expect(example.ACTIONS_STEP_DEBUG).toBe('true')
})

test('@github/local-action runs src/main.ts with .env.example: the outputs are listed, debug lines shown, the token never', async () => {
  // The example's run, in the fixture's checkout (HEAD: c4) and against this test's emulator.
  const envFile = path.join(dir, '.env')
  const { text } = await exampleEnv({ INPUT_SENTRY_URL: fx.emulator.url, GITHUB_WORKSPACE: fx.repo.dir })
  await writeFile(envFile, text)
  const run = await runLocalAction(envFile)
  assertNoSecretLeak({ stdout: run.stdout, stderr: run.stderr }, [DEFAULT_TOKEN])
  expect(run.code).toBe(0)
  expect(run.stdout).not.toContain('No outputs were set!')
  // The tool's table of outputs: `│ n │ 'name' │ 'value' │` rows after its "Action Outputs" title.
  const table = run.stdout.slice(run.stdout.indexOf('Action Outputs'))
  const row = (name: string, value: string) => new RegExp(`│ '${name}'\\s+│ '${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'\\s+│`)
  expect(table).toMatch(row('release', 'local-action-demo'))
  expect(table).toMatch(row('commitRange', `${fx.commits[3]}..${fx.commits[4]}`))
  expect(table).toMatch(row('releaseUrl', `${fx.emulator.url}/organizations/acme/releases/local-action-demo/`))
  // With ACTIONS_STEP_DEBUG, core.debug shows each request and git command, the tag candidates and the range.
  expect(run.stdout).toMatch(/::debug::POST \/api\/0\/organizations\/acme\/releases\/ -> 201 in \d+ ms; final\./)
  expect(run.stdout).toMatch(/::debug::git describe --tags .* -> exit 0 in \d+ ms: v1\.2\.0/)
  expect(run.stdout).toContain(`::debug::Commit range: after ${fx.commits[3]} (v1.2.0) up to ${fx.commits[4]} (1 commit).`)
  expect(fx.emulator.requests.map(({ method, status, headers }) => [method, status, headers.authorization])).toEqual([
    ['GET', 200, `Bearer ${DEFAULT_TOKEN}`],
    ['POST', 201, `Bearer ${DEFAULT_TOKEN}`]
  ])
}, 180_000)
