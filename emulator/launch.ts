// `npm run emulator` start-up: options, seed file and git dir checked with one-line errors; then the URL and tokens.
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify, parseArgs } from 'node:util'
import { startEmulator } from './server.js'
import { defaultSeed } from './seed.js'
import { seedProblem } from './seed-check.js'
import type { Emulator, Seed } from './types.js'

const DEFAULT_PORT = 8000
const run = promisify(execFile)

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`--port ${value}: expected a port number from 0 to 65535`)
  return port
}

async function readSeed(file: string): Promise<Seed> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'))
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message
    throw new Error(`--seed ${file}: ${e instanceof SyntaxError ? `invalid JSON (${reason})` : reason}`)
  }
  const problem = seedProblem(parsed)
  if (problem) throw new Error(`--seed ${file}: ${problem}`)
  return parsed as Seed
}

async function checkGitDir(dir: string): Promise<void> {
  try {
    await run('git', ['-C', dir, 'rev-parse', '--git-dir'])
  } catch {
    throw new Error(`--git ${dir}: not a git working directory`)
  }
}

/** Starts the emulator the arguments describe and prints its URL and tokens; errors are one line naming the option. */
export async function launch(argv: string[], print: (line: string) => void, quiet = false): Promise<Emulator> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, seed: { type: 'string' }, git: { type: 'string' } } })
  const port = parsePort(values.port)
  const fileSeed = values.seed === undefined ? undefined : await readSeed(values.seed)
  if (values.git !== undefined) await checkGitDir(values.git)
  // Without a seed file the org token names the URL actually listened on (port 0 picks one).
  const seedFor = (url: string): Seed => fileSeed ?? defaultSeed(url)
  const emulator = await startEmulator({ seed: seedFor, port, git: values.git, quiet })
  print(`Sentry emulator listening on ${emulator.url}`)
  for (const t of seedFor(emulator.url).tokens) {
    print(`Token: ${t.token}${t.org ? ` (org ${t.org})` : ''} scopes ${(t.scopes ?? ['org:ci']).join(',')}`)
  }
  return emulator
}
