import { type DeployOutcome, type PlannedDeploy, recordedDeploy, releaseAfterDeploy } from '../core/deploy-plan.js'
import { deployAnswer, listAnswer, type SentryDeploy, type SentryRelease } from '../core/sentry-answers.js'
import type { SendRequest } from '../core/ports.js'
import { inert } from '../core/log-text.js'
import { info } from './log.js'

/**
 * Records the planned deploy unless Sentry already has it: the release's lastDeploy, then its listed
 * deploys, are checked first (only when the release has any). At most two requests, unless a POST fails
 * in a way Sentry may have applied: then the list is checked again before each new POST.
 */
export async function recordDeploy(
  planned: PlannedDeploy,
  release: SentryRelease,
  send: SendRequest,
  sentryUrl: string
): Promise<DeployOutcome> {
  const list = async (): Promise<SentryDeploy[]> => (planned.list ? listAnswer(await send(planned.list), 'deploys', sentryUrl) : [])
  const earlier = await findEarlierDeploy(planned, release, list)
  if (earlier) {
    info(`Sentry already has this deploy to ${inert(earlier.environment)} (id ${inert(earlier.id)}): not recording it again.`)
    return { deploy: earlier, created: false, release }
  }
  const deploy = deployAnswer(await send(planned.create, failure => recordedDespite(failure, planned, list)), sentryUrl)
  return { deploy, created: true, release: releaseAfterDeploy(release, deploy) }
}

/** After a failed POST that Sentry may have applied: the deploy when Sentry holds it, undefined to send it again. */
async function recordedDespite(
  failure: string,
  planned: PlannedDeploy,
  list: () => Promise<SentryDeploy[]>
): Promise<SentryDeploy | undefined> {
  if (!planned.list) {
    throw new Error(
      `Sentry ${failure} to the deploy POST and may have recorded the deploy; with no start time to recognise it by (set ` +
        `started_at), it is not sent again`
    )
  }
  info('Checking whether Sentry recorded the deploy before sending it again.')
  return recordedDeploy(planned.create.body, await list())
}

async function findEarlierDeploy(
  planned: PlannedDeploy,
  release: SentryRelease,
  list: () => Promise<SentryDeploy[]>
): Promise<SentryDeploy | undefined> {
  if (!planned.list || !(Number(release.deployCount) > 0)) return undefined
  return recordedDeploy(planned.create.body, [release.lastDeploy]) ?? recordedDeploy(planned.create.body, await list())
}
