// `npm run emulator -- [--port N] [--seed FILE] [--git DIR]`: a Sentry emulator for the shell, logging each request.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startEmulator } from './server.js'
import { defaultSeed } from './seed.js'
import type { Seed } from './types.js'

const DEFAULT_PORT = 8000

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, seed: { type: 'string' }, git: { type: 'string' } }
  })
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port}: expected a port number`)
  // The default org token carries the URL clients should use: the address listened on (port 0 keeps the default).
  const seed: Seed = values.seed
    ? JSON.parse(readFileSync(values.seed, 'utf8')) as Seed
    : defaultSeed(port === 0 ? undefined : `http://127.0.0.1:${port}`)
  const emulator = await startEmulator({ seed, port, git: values.git, quiet: false })
  console.log(`Sentry emulator listening on ${emulator.url}`)
  for (const t of seed.tokens) console.log(`Token: ${t.token}${t.org ? ` (org ${t.org})` : ''} scopes ${(t.scopes ?? ['org:ci']).join(',')}`)
  const stop = () => void emulator.stop().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e: unknown) => {
  console.error(`sentry emulator: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
