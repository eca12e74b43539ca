// A `git` shim placed first on PATH that logs the git calls of a run and how long each took (probe runs
// only: the shim's own `sh` and `date` processes add about a millisecond per call, so timed runs never use
// it; `replayGitCalls` times the logged calls again without it).
import { execFile } from 'node:child_process'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { run } from './measure.js'

const GIT_REPLAY = fileURLToPath(new URL('git-replay.js', import.meta.url))

export interface GitCall {
  ms: number
  args: string[]
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
    // One line per call: microseconds, then each argument after a tab.
    `#!/bin/sh\nstart=$(date +%s%N)\n"${realGit}" "$@"\ncode=$?\n` +
      `{ printf '%s' "$(( ($(date +%s%N) - start) / 1000 ))"; for a in "$@"; do printf '\\t%s' "$a"; done; echo; } >> "$GIT_TIMING_LOG"\n` +
      `exit $code\n`
  )
  await chmod(script, 0o755)
  await writeFile(log, '')
  return {
    env: path => ({ PATH: `${dir}:${path}`, GIT_TIMING_LOG: log }),
    async take() {
      const lines = (await readFile(log, 'utf8')).split('\n').filter(Boolean)
      await writeFile(log, '')
      return lines.map(line => {
        const [micros, ...args] = line.split('\t')
        return { ms: Number(micros) / 1000, args }
      })
    }
  }
}

/** Runs the calls again `repeat` times in `cwd` from a small node process (git-replay.ts), without the shim: ms per repetition. */
export async function replayGitCalls(calls: GitCall[], cwd: string, repeat: number): Promise<number[]> {
  const result = await run(process.execPath, [GIT_REPLAY, cwd, String(repeat), JSON.stringify(calls.map(c => c.args))], {
    env: { PATH: process.env.PATH },
    peakRss: false
  })
  if (result.code !== 0) throw new Error(`git replay failed: ${result.stderr.trim()}`)
  return JSON.parse(result.stdout) as number[]
}
