import * as core from './runner.js'
import { type PlannedDeploy, recordedDeploy, releaseAfterDeploy, type SentryDeploy } from './deploy-plan.js'
import { type SendRequest, sentryObject, type SentryRelease } from './sentry-client.js'

/** The deploy Sentry holds for this run, and the release as Sentry now serializes it. */
export interface DeployOutcome {
  deploy: SentryDeploy
  /** False when an earlier run of the same event had recorded it already. */
  created: boolean
  release: SentryRelease
}

/**
 * Records the planned deploy unless Sentry already has it: the release's lastDeploy, then its listed
 * deploys, are checked first (only when the release has any). At most two requests.
 */
export async function recordDeploy(planned: PlannedDeploy, release: SentryRelease, send: SendRequest): Promise<DeployOutcome> {
  const earlier = await findEarlierDeploy(planned, release, send)
  if (earlier) {
    core.info(`Sentry already has this deploy to ${String(earlier.environment)} (id ${String(earlier.id)}): not recording it again.`)
    return { deploy: earlier, created: false, release }
  }
  const deploy = sentryObject(await send(planned.create))
  return { deploy, created: true, release: releaseAfterDeploy(release, deploy) }
}

async function findEarlierDeploy(planned: PlannedDeploy, release: SentryRelease, send: SendRequest): Promise<SentryDeploy | undefined> {
  if (!planned.list || !(Number(release.deployCount) > 0)) return undefined
  return recordedDeploy(planned.create.body, [release.lastDeploy]) ?? recordedDeploy(planned.create.body, await send(planned.list))
}
