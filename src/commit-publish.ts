import * as core from './runner.js'
import type { Plan } from './plan.js'
import { publish } from './publish.js'
import type { SendRequest, SentryRelease } from './sentry-client.js'
import { SentryError } from './sentry-errors.js'

// Sentry's answer to refs naming a repository it has no integration for (contract section 1, step 7).
const UNKNOWN_REPOSITORY = 'Invalid repository names'

/**
 * Sends the plan. In auto mode, when Sentry does not know the repository (no GitHub integration), warns once
 * and sends the commits from git instead (`localPlan`); returns the plan that was sent, for the report.
 */
export async function publishWithCommits(
  plan: Plan,
  send: SendRequest,
  localPlan: () => Promise<Plan>
): Promise<{ plan: Plan; release: SentryRelease }> {
  try {
    return { plan, release: await publish(plan, send) }
  } catch (error) {
    if (!(plan.fallbackToLocal && error instanceof SentryError && error.status === 400 && error.message.includes(UNKNOWN_REPOSITORY))) {
      throw error
    }
  }
  core.warning(unknownRepositoryWarning(plan))
  const local = await localPlan()
  local.warnings.forEach(warning => core.warning(warning))
  return { plan: local, release: await publish(local, send) }
}

function unknownRepositoryWarning(plan: Plan): string {
  return (
    `Sentry has no repository '${plan.repository}' in org '${plan.org}' (${UNKNOWN_REPOSITORY}), so it cannot fetch the commits: ` +
    `sending them from git instead. To link commits to GitHub, install Sentry's GitHub integration ` +
    `(Settings > Integrations > GitHub) and add the repository, or set 'repo' to the name Sentry shows; ` +
    `set_commits: local skips this first attempt.`
  )
}
