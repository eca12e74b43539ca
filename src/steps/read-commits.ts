import { type CommitData, commitCollector, LIMITS } from '../core/commit-data.js'
import type { CommitRange } from '../core/commit-range.js'
import { InputError } from '../core/errors.js'
import type { Git } from '../core/ports.js'
import type { Settings } from '../core/settings.js'
import { characters } from '../core/url.js'

/**
 * The range's commits from git, streamed: newest first, capped at max_commits (a first release takes initial_depth),
 * with the count before the cap for the warning.
 */
export async function readCommitData(git: Git, settings: Settings, range: CommitRange): Promise<CommitData> {
  if (characters(settings.repository) > LIMITS.repository) {
    throw new InputError(
      'repo',
      `'${settings.repository}' is longer than ${LIMITS.repository} characters, Sentry's limit for a commit's repository`
    )
  }
  const query = { head: range.head, previous: range.previous, paths: settings.paths }
  const available = await git.countCommits(query)
  const total = range.previous ? available : Math.min(available, settings.initialDepth)
  const collector = commitCollector(settings.repository, total)
  await git.readCommits({ ...query, maxCount: Math.min(total, settings.maxCommits) }, collector.add)
  return collector.result()
}
