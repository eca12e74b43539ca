// The GitHub provider's compare_commits (integrations/github/repository.py), answered from a local git working dir.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { CommitInput } from './commits.js'

const run = promisify(execFile)

/**
 * With a start, Sentry reads one unpaginated GitHub compare (client.compare_commits, no page parameters), which lists
 * at most 250 commits: the first 250 in GitHub's oldest-first order (GitHub pages longer comparisons; Sentry does not
 * ask for more). Without a start, the last commits of the end (get_last_commits), cut to 20.
 */
export const COMPARE_LIMIT = 250
export const LAST_COMMITS_LIMIT = 20
const FIELD = '\x1f'
const RECORD = '\x1e'

/**
 * Commits of `start..end` (or the last 20 up to end) as _format_commits shapes them: the timestamp is the AUTHOR date
 * (c["commit"]["author"]["date"]), which set_commits later orders by, so after a rebase, cherry-pick or amend the
 * newest by author date is often not the head commit.
 */
export async function compareCommits(dir: string, repository: string, start: string | null, end: string): Promise<CommitInput[]> {
  const range = start ? `${start}..${end}` : end
  const { stdout } = await run(
    'git',
    [
      '-C',
      dir,
      'log',
      `--format=%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%B${RECORD}`,
      ...(start ? [] : [`--max-count=${LAST_COMMITS_LIMIT}`]),
      '--end-of-options',
      range,
      '--'
    ],
    { maxBuffer: 256 * 1024 * 1024, timeout: 30_000 }
  )
  const commits = stdout
    .split(RECORD)
    .map(r => r.replace(/^\n/, ''))
    .filter(Boolean)
    .map(record => {
      const [id, authorName, authorEmail, timestamp, message] = record.split(FIELD)
      return { id, repository, author_name: authorName, author_email: authorEmail, timestamp, message: message.trimEnd() }
    })
  // git log lists newest first: the compare's first 250 are the last 250 here.
  return start ? commits.slice(-COMPARE_LIMIT) : commits
}
