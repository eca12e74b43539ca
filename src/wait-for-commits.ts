import * as core from '@actions/core'
import { errorMessage } from './errors.js'
import type { Plan } from './plan.js'
import { sleep } from './retry.js'
import { listsCommitsUpTo, type SendRequest, sentryObject, type SentryRelease } from './sentry-client.js'

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

export interface WaitHooks {
  sleep(ms: number): Promise<void>
}

const realHooks: WaitHooks = { sleep }

/**
 * After a refs update Sentry fetches the commits in the background: with wait_for_commits, poll the release
 * until it lists this range's commits, so the commitCount output is true. Local commit data needs no wait (set synchronously).
 */
export async function waitForCommits(
  plan: Plan,
  release: SentryRelease,
  send: SendRequest,
  waitMs: number,
  hooks: WaitHooks = realHooks
): Promise<SentryRelease> {
  const head = plan.range.head
  if (plan.commitSource !== 'refs' || waitMs <= 0 || listsCommitsUpTo(release, head)) return release
  core.info(`Waiting up to ${waitMs / 1000} s for Sentry to fetch the commits (wait_for_commits).`)
  let latest = release
  for (const delay of pollDelays(waitMs)) {
    await hooks.sleep(delay)
    try {
      latest = sentryObject(await send({ method: 'GET', path: plan.update.path }))
    } catch (error) {
      core.warning(`Cannot read the release back from Sentry while waiting for commits: ${errorMessage(error)}`, WAIT_TITLE)
      return latest
    }
    if (listsCommitsUpTo(latest, head)) {
      core.info(`Sentry lists ${String(latest.commitCount)} commits for ${plan.version}.`)
      return latest
    }
  }
  const within = `within wait_for_commits (${waitMs / 1000} s)`
  core.warning(`Sentry listed no commits for ${plan.version} ${within}; commitCount may still rise.`, WAIT_TITLE)
  return latest
}
