import * as core from '@actions/core'
import { errorMessage } from './errors.js'
import { readGitHubContext, releaseTarget } from './event.js'
import { createGit } from './git.js'
import { buildPlan } from './plan.js'
import { publish } from './publish.js'
import { resolveRange } from './range.js'
import { rangeText, report } from './report.js'
import { retryPolicy } from './retry.js'
import { createSentryClient } from './sentry-client.js'
import { readSettings } from './settings.js'

/** The action: settings -> event -> git facts -> plan -> send (or print) -> outputs and summary. Never throws. */
export async function run(): Promise<void> {
  try {
    const settings = readSettings()
    const context = readGitHubContext()
    const target = releaseTarget(context)
    if (target.kind === 'tag-deleted') {
      core.notice(`Tag ${target.tag} was deleted: there is no release to update.`)
      return
    }
    const range = await resolveRange(settings, target, createGit(settings.workingDirectory))
    const plan = buildPlan({ settings, context, target, range, now: new Date() })
    plan.warnings.forEach(warning => core.warning(warning))
    plan.notices.forEach(notice => core.notice(notice))
    core.info(rangeText(plan))
    if (settings.dryRun || !settings.authToken) return await report(plan)
    const { sentryUrl, authToken, org, requestTimeoutMs } = settings
    const send = createSentryClient({ sentryUrl, authToken, org, timeoutMs: requestTimeoutMs, retry: retryPolicy() })
    await report(plan, await publish(plan, send))
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}
