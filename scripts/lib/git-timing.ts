// A `git` shim placed first on PATH that logs how long each git call of a run took (probe runs only:
// the shim's own `date` calls add about a millisecond per call, so timed runs never use it).
import { execFile } from 'node:child_process'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

export interface GitCall {
  ms: number
  args: string
}

export interface GitShim {
  /** Environment additions for the probed process: PATH with the shim first, and the log file. */
  env(path: string): Record<string, string>
  /** Calls logged so far, in order; empties the log. */
  take(): Promise<GitCall[]>
}

export async function createGitShim(dir: string): Promise<GitShim> {
  const realGit = (await promisify(execFile)('sh', ['-c', 'command -v git'])).stdout.trim()
  const log = join(dir, 'git-calls.log')
  const script = join(dir, 'git')
  await writeFile(
    script,
    `#!/bin/sh\nstart=$(date +%s%N)\n"${realGit}" "$@"\ncode=$?\necho "$(( ($(date +%s%N) - start) / 1000 )) $*" >> "$GIT_TIMING_LOG"\nexit $code\n`
  )
  await chmod(script, 0o755)
  await writeFile(log, '')
  return {
    env: (path) => ({ PATH: `${dir}:${path}`, GIT_TIMING_LOG: log }),
    async take() {
      const lines = (await readFile(log, 'utf8')).split('\n').filter(Boolean)
      await writeFile(log, '')
      return lines.map((line) => {
        const space = line.indexOf(' ')
        return { ms: Number(line.slice(0, space)) / 1000, args: line.slice(space + 1) }
      })
    },
  }
}
