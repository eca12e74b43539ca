import * as core from './runner.js'
import { readCommitData, readsCommitsFirst } from './commit-data.js'
import { recordDeploy } from './deploy.js'
import { deployIntent } from './deployment-event.js'
import { errorMessage } from './errors.js'
import { fetchEventGitFacts, nothingToRelease, readGitHubContext, releaseTarget } from './event.js'
import { createGit } from './git.js'
import { buildPlan, type Plan, releaseVersion } from './plan.js'
import { publish } from './publish.js'
import { deepenForFirstRelease, resolveRange } from './range.js'
import { rangeText, report } from './report.js'
import { retryPolicy } from './retry.js'
import { createSentryClient } from './sentry-client.js'
import { readSettings } from './settings.js'
import { type Released, runSourceMaps } from './sourcemaps/run.js'
import { readSourceMapSettings } from './sourcemaps/settings.js'
import { waitForCommits } from './wait-for-commits.js'

/** The action: the release step, then the source maps step when `sourcemaps` is set. Never throws. */
export async function run(): Promise<void> {
  try {
    const sourceMaps = readSourceMapSettings()
    // Inject-only runs in the build job, before deploying: no release, token or git needed.
    const released = sourceMaps?.mode === 'inject' ? undefined : await updateRelease()
    if (sourceMaps) await runSourceMaps(sourceMaps, released)
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}

/** The release: settings -> event -> git facts -> plan -> send (or print) -> outputs and summary; undefined if none. */
async function updateRelease(): Promise<Released | undefined> {
  // A block, so the release steps keep the indentation they had in run()'s try.
  {
    const settings = readSettings()
    const context = readGitHubContext()
    const withdrawn = nothingToRelease(context)
    if (withdrawn) return void core.notice(withdrawn)
    const git = createGit(settings.workingDirectory)
    const target = releaseTarget(context, await fetchEventGitFacts(context, git))
    // A release name that does not depend on the head commit is checked before the range is looked up.
    if (target.kind === 'tag' || settings.release !== undefined) releaseVersion(settings, target, '')
    const deploy = deployIntent(context)
    if (deploy.kind === 'nothing') return void core.notice(deploy.notice)
    const range = await resolveRange(settings, target, git)
    const planInputs = { settings, context, target, range, now: new Date(), deploy }
    const localPlan = async () => {
      await deepenForFirstRelease(settings, git, range)
      return buildPlan({ ...planInputs, commits: await readCommitData(git, settings, range) })
    }
    const plan = readsCommitsFirst(settings) ? await localPlan() : buildPlan(planInputs)
    plan.warnings.forEach(warning => core.warning(warning))
    core.info(rangeText(plan))
    // Notices describe what is sent, so they wait for the plan that was sent (auto mode may fall back to local commits).
    const printNotices = (sentPlan: Plan): void => sentPlan.notices.forEach(notice => core.notice(notice))
    if (settings.dryRun || !settings.authToken) {
      printNotices(plan)
      await report(plan)
      return { settings, version: plan.version }
    }
    const { sentryUrl, authToken, org, requestTimeoutMs } = settings
    const send = createSentryClient({ sentryUrl, authToken, org, timeoutMs: requestTimeoutMs, retry: retryPolicy() })
    const sent = await publish(plan, send, localPlan)
    printNotices(sent.plan)
    const release = await waitForCommits(sent.plan, sent.release, send, settings.waitForCommitsMs)
    if (!plan.deploy) {
      await report(sent.plan, release)
      return { settings, version: plan.version, release }
    }
    const environment = String(plan.deploy.create.body.environment)
    const deployed = await recordDeploy(plan.deploy, release, send).catch(async (error: unknown) => {
      // The release is updated: its outputs and summary still tell so, before the run fails for the deploy.
      const why = errorMessage(error)
      await report(sent.plan, release, undefined, why)
      throw new Error(`Sentry release ${plan.version} was updated, but the deploy to ${environment} was not recorded: ${why}`)
    })
    await report(sent.plan, deployed.release, deployed)
    return { settings, version: plan.version, release: deployed.release }
  }
}
