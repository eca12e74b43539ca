// The repository provider's compare_commits, answered from a local git working dir.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { CommitInput } from './commits.js'

const run = promisify(execFile)

// GitHub's provider: the compare API when a start is known, else the last 20 commits of the end.
const COMPARE_LIMIT = 250
const LAST_COMMITS_LIMIT = 20
const FIELD = '\x1f'
const RECORD = '\x1e'

/** Commits in `start..end` (or the last 20 up to end), newest first, as the provider formats them. */
export async function compareCommits(dir: string, repository: string, start: string | null, end: string): Promise<CommitInput[]> {
  const range = start ? `${start}..${end}` : end
  const { stdout } = await run('git', [
    '-C', dir, 'log', `--format=%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%B${RECORD}`,
    `--max-count=${start ? COMPARE_LIMIT : LAST_COMMITS_LIMIT}`, '--end-of-options', range, '--'
  ], { maxBuffer: 64 * 1024 * 1024, timeout: 30_000 })
  return stdout.split(RECORD).map(r => r.replace(/^\n/, '')).filter(Boolean).map(record => {
    const [id, authorName, authorEmail, timestamp, message] = record.split(FIELD)
    return { id, repository, author_name: authorName, author_email: authorEmail, timestamp, message: message.trimEnd() }
  })
}
