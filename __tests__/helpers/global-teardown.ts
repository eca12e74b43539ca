// Jest's globalTeardown (jest.config.js): the run's temp folder (global-setup.ts) must be empty, else a test forgot
// its cleanup. The folder goes either way.
import { readdirSync, rmSync } from 'node:fs'

export default function globalTeardown(): void {
  const root = process.env.SRA_TEST_TMPDIR
  if (!root) return
  const left = readdirSync(root)
  rmSync(root, { recursive: true, force: true })
  if (left.length > 0) throw new Error(`Tests left temp folders behind (a missing cleanup): ${left.join(', ')}`)
}
