import * as core from '@actions/core'
import { inGroup } from './log-group.js'
import type { Plan } from './plan.js'
import { rangeText } from './report.js'
import { type SendRequest, sentryObject, type SentryRelease } from './sentry-client.js'
import { SentryError } from './sentry-errors.js'

// Sentry's answer to refs naming a repository it has no integration for (contract section 1, step 7).
const UNKNOWN_REPOSITORY = 'Invalid repository names'

/**
 * Sends the plan. In auto mode, when Sentry does not know the repository (no GitHub integration), warns once
 * and sends the commits from git instead (`localPlan`); returns the plan that was sent, for the report.
 */
export async function publish(plan: Plan, send: SendRequest, localPlan: () => Promise<Plan>): Promise<{ plan: Plan; release: SentryRelease }> {
  try {
    return { plan, release: await updateOrCreate(plan, send) }
  } catch (error) {
    if (!(plan.fallbackToLocal && error instanceof SentryError && error.status === 400 && error.message.includes(UNKNOWN_REPOSITORY))) {
      throw error
    }
  }
  core.warning(unknownRepositoryWarning(plan), { title: `Sentry does not know repository ${plan.repository}` })
  const local = await inGroup('Reading the commits from git instead', localPlan)
  // The first plan's warnings were printed already.
  const title = { title: `Sentry release ${plan.version}` }
  local.warnings.filter(warning => !plan.warnings.includes(warning)).forEach(warning => core.warning(warning, title))
  core.info(rangeText(local))
  return { plan: local, release: await updateOrCreate(local, send) }
}

/** Sends the plan's update; when Sentry has no such release, creates it or fails as the plan says. */
export async function updateOrCreate(plan: Plan, send: SendRequest): Promise<SentryRelease> {
  try {
    return sentryObject(await send(plan.update))
  } catch (error) {
    if (!(error instanceof SentryError && error.status === 404)) throw error
  }
  if (plan.ifMissing instanceof Error) throw plan.ifMissing
  // Said once Sentry created it: Sentry answers the same 404 for an org the token cannot see, and the create's error names the org.
  const created = sentryObject(await send(plan.ifMissing))
  core.info(`Sentry had no release ${plan.version}: created it.`)
  return created
}

function unknownRepositoryWarning(plan: Plan): string {
  return (
    `Sentry has no repository '${plan.repository}' in org '${plan.org}' (${UNKNOWN_REPOSITORY}), so it cannot fetch the commits: ` +
    `sending them from git instead. To link commits to GitHub, install Sentry's GitHub integration ` +
    `(Settings > Integrations > GitHub) and add the repository, or set 'repo' to the name Sentry shows; ` +
    `set_commits: local skips this first attempt.`
  )
}
