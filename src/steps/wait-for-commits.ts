import * as core from '@actions/core'
import { errorMessage } from '../core/errors.js'
import type { Plan } from '../core/plan.js'
import { sleep } from './retry.js'
import type { Git, SendRequest } from '../core/ports.js'
import { info } from './log.js'
import type { CommitRange } from '../core/commit-range.js'
import { lastCommitId, releaseAnswer, type SentryRelease } from '../core/sentry-answers.js'

const WAIT_TITLE = { title: 'wait_for_commits' }
const FIRST_POLL_MS = 1000
const MAX_POLL_MS = 8000

/** Pauses between polls: 1 s, 2 s, 4 s, then 8 s each, ending exactly when the time runs out. */
export function pollDelays(totalMs: number, firstMs = FIRST_POLL_MS, maxMs = MAX_POLL_MS): number[] {
  const delays: number[] = []
  for (let spent = 0, next = firstMs; spent < totalMs; next = Math.min(next * 2, maxMs)) {
    const delay = Math.min(next, totalMs - spent)
    delays.push(delay)
    spent += delay
  }
  return delays
}

/** Whether a commit id lies in the release's range (after previous, up to head), as git knows it. */
export type InRange = (commitId: string) => Promise<boolean>

/**
 * Whether Sentry lists this range's commits, in any order of dates. Sentry orders a release's commits by timestamp,
 * newest first, and the GitHub provider stores the author date (docs/sentry-api.md section 12): after a rebase, a
 * cherry-pick or an amend, `lastCommit` is often not the head commit. So: the count is the one git counts for the
 * range (when git knows the range's start; see fetchedCount for long ranges), and `lastCommit` lies in the range.
 */
export async function listsRange(release: SentryRelease, range: CommitRange, inRange: InRange): Promise<boolean> {
  const count = Number(release.commitCount)
  const last = lastCommitId(release)
  if (!(count > 0) || typeof last !== 'string') return false
  if (range.count !== undefined && !fetchedCount(count, range.count)) return false
  return inRange(last)
}

/**
 * Every Sentry version fetches at least 50 commits of a range through GitHub; some stop at 50, 250 or the newest 500
 * (docs/sentry-api.md section 12). A range within that lists exactly git's count; a longer one at least 50 and at most it.
 */
const FETCHED_AT_LEAST = 50

function fetchedCount(count: number, gitCount: number): boolean {
  return gitCount <= FETCHED_AT_LEAST ? count === gitCount : count >= FETCHED_AT_LEAST && count <= gitCount
}

/**
 * The range check from git: a commit is in the range when head reaches it and previous does not. Without the commit
 * in the checkout (manual mode without one), only the head commit itself is known to be in it (a short SHA matches).
 */
export function gitRangeCheck(git: Pick<Git, 'isAncestor'>, range: CommitRange): InRange {
  return async id => {
    if (id.toLowerCase().startsWith(range.head.toLowerCase())) return true
    if (!(await git.isAncestor(id, range.head).catch(() => false))) return false
    return range.previous === undefined || !(await git.isAncestor(id, range.previous).catch(() => false))
  }
}

/** The commits of a refs update cannot come: the range is empty, and Sentry's fetch of an empty range changes nothing. */
export function nothingToFetch(plan: Plan): boolean {
  return plan.range.previous !== undefined && plan.range.previous === plan.range.head
}

export interface WaitHooks {
  sleep(ms: number): Promise<void>
}

const realHooks: WaitHooks = { sleep }

/**
 * After a refs update Sentry fetches the commits in the background: with wait_for_commits, poll the release until it
 * lists this range's commits (listsRange), so the commitCount output is true. Local commit data needs no wait (set
 * synchronously), nor an empty range (nothing will come). `listed`: whether Sentry lists the range's commits (undefined
 * when no fetch was asked for).
 */
export async function waitForCommits(
  plan: Plan,
  release: SentryRelease,
  send: SendRequest,
  waitMs: number,
  inRange: InRange,
  hooks: WaitHooks = realHooks
): Promise<{ release: SentryRelease; listed?: boolean }> {
  if (plan.commitSource !== 'refs' || nothingToFetch(plan)) return { release }
  const listed = await listsRange(release, plan.range, inRange)
  if (waitMs <= 0 || listed) return { release, listed }
  info(`Waiting up to ${waitMs / 1000} s for Sentry to fetch the commits (wait_for_commits).`)
  let latest = release
  for (const delay of pollDelays(waitMs)) {
    await hooks.sleep(delay)
    try {
      latest = releaseAnswer(await send({ method: 'GET', path: plan.update.path }), plan.version, plan.sentryUrl)
    } catch (error) {
      core.warning(`Cannot read the release back from Sentry while waiting for commits: ${errorMessage(error)}`, WAIT_TITLE)
      return { release: latest, listed: false }
    }
    if (await listsRange(latest, plan.range, inRange)) {
      info(`Sentry lists ${String(latest.commitCount)} commits for ${plan.version}.`)
      return { release: latest, listed: true }
    }
  }
  const counted = plan.range.count === undefined ? '' : ` (git counts ${plan.range.count} in the range)`
  core.warning(
    `Sentry did not list the range's commits for ${plan.version} within wait_for_commits (${waitMs / 1000} s): it lists ` +
      `${String(latest.commitCount ?? 0)}${counted}; commitCount may still change.`,
    WAIT_TITLE
  )
  return { release: latest, listed: false }
}
