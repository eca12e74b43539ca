// A throwaway git repository for tests (async git: the emulator runs in the jest process).
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface TempRepo { dir: string; commits: string[]; git(...args: string[]): Promise<string>; remove(): Promise<void> }

/** A repo with `count` commits (oldest first in `commits`) and the given origin URL. */
export async function tempRepo(count: number, origin = 'https://github.com/acme/web'): Promise<TempRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'emulator-git-'))
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir }
  const git = async (...args: string[]) => (await run('git', args, { cwd: dir, env })).stdout.trim()
  await git('init', '-q', '-b', 'main')
  await git('config', 'user.name', 'Ada Lovelace')
  await git('config', 'user.email', 'ada@example.com')
  await git('remote', 'add', 'origin', origin)
  const commits: string[] = []
  for (let i = 1; i <= count; i++) {
    await writeFile(join(dir, 'file.txt'), `change ${i}\n`)
    await git('add', 'file.txt')
    await git('commit', '-q', '-m', `change ${i}`, `--date=2024-01-0${Math.min(i, 9)}T00:00:0${i % 10}Z`)
    commits.push(await git('rev-parse', 'HEAD'))
  }
  return { dir, commits, git, remove: () => rm(dir, { recursive: true, force: true }) }
}
