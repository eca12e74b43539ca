import * as core from '@actions/core'
import { readsCommitsFirst } from './core/commit-data.js'
import type { GitHubContext } from './core/context.js'
import { deployIntent } from './core/deployment-event.js'
import { errorMessage } from './core/errors.js'
import { nothingToRelease, releaseTarget } from './core/event.js'
import { buildPlan, type Plan, releaseVersion } from './core/plan.js'
import type { SendRequest } from './core/ports.js'
import { type RunProgress, rangeText } from './core/report-text.js'
import { retryPolicy } from './core/retry-policy.js'
import { sendingToken, type Settings } from './core/settings.js'
import { readSourceMapSettings } from './core/sourcemaps/settings.js'
import { recordDeploy } from './steps/deploy.js'
import { fetchEventGitFacts } from './steps/event-git-facts.js'
import { inGroupIfLogging, info } from './steps/log.js'
import { publish } from './steps/publish.js'
import { deepenForFirstRelease, resolveRange } from './steps/range.js'
import { readCommitData } from './steps/read-commits.js'
import { gitRangeCheck, waitForCommits } from './steps/wait-for-commits.js'
import { createGit } from './io/git.js'
import { loadGitHubContext } from './io/github-context.js'
import { maskAuthToken, readActionInput, readSettings } from './io/inputs.js'
import { reportFailure, report } from './io/outputs.js'
import { preconnect } from './io/http-transport.js'
import { createSentryClient } from './io/sentry-client.js'
import { type Released, runSourceMaps } from './io/sourcemaps/run.js'

// One title for every block of fetching: whichever step needs history or tags the checkout lacks.
const FETCH_GROUP = 'Fetching from origin what the checkout lacks'

/** The action: the release step, then the source maps step when `sourcemaps` is set. Never throws. */
export async function run(): Promise<void> {
  const progress: RunProgress = { requestsSent: 0, reported: false }
  try {
    const sourceMaps = readSourceMapSettings(process.env, readActionInput)
    // The release step masks the token as it reads its settings; a run that only injects reads none of them.
    if (sourceMaps?.mode === 'inject') maskAuthToken()
    // Inject-only runs in the build job, before deploying: no release, token or git needed.
    const released = sourceMaps?.mode === 'inject' ? undefined : await updateRelease(progress)
    if (sourceMaps) await runSourceMaps(sourceMaps, released)
  } catch (error) {
    const message = errorMessage(error)
    core.setFailed(message)
    if (!progress.reported) await reportFailure(message, progress)
  }
}

/** The release: settings -> event -> git facts -> plan -> send (or print) -> outputs and summary; undefined if none. */
async function updateRelease(progress: RunProgress): Promise<Released | undefined> {
  const settings = readSettings()
  const context = await loadGitHubContext()
  core.debug(contextText(context, settings))
  const withdrawn = nothingToRelease(context)
  if (withdrawn) return void core.notice(withdrawn, { title: 'Nothing to release' })
  const git = createGit(settings.workingDirectory)
  const facts = await inGroupIfLogging(FETCH_GROUP, log => fetchEventGitFacts(context, git, log))
  const target = releaseTarget(context, facts)
  // A release name that does not depend on the head commit is checked before the range is looked up.
  if (target.kind === 'tag' || settings.release !== undefined) releaseVersion(settings, target, '')
  const deploy = deployIntent(context)
  if (deploy.kind === 'nothing') return void core.notice(deploy.notice, { title: 'Nothing sent to Sentry' })
  const authToken = sendingToken(settings)
  // The run will send: its connection to Sentry is opened now, its handshakes done while git works out the range. No
  // request goes before the plan is made, so an input found wrong on the way still sends nothing.
  if (authToken) preconnect(settings.sentryUrl)
  const range = await inGroupIfLogging(FETCH_GROUP, log => resolveRange(settings, target, git, log))
  const planInputs = { settings, context, target, range, now: new Date(), deploy }
  const localPlan = async () => {
    await inGroupIfLogging(FETCH_GROUP, log => deepenForFirstRelease(settings, git, range, log))
    return buildPlan({ ...planInputs, commits: await readCommitData(git, settings, range) })
  }
  const plan = readsCommitsFirst(settings) ? await localPlan() : buildPlan(planInputs)
  progress.plan = plan
  const title = { title: `Sentry release ${plan.version}` }
  plan.warnings.forEach(warning => core.warning(warning, title))
  info(rangeText(plan))
  // Notices describe what is sent, so they wait for the plan that was sent (auto mode may fall back to local commits).
  const printNotices = (sentPlan: Plan): void => sentPlan.notices.forEach(notice => core.notice(notice, title))
  if (!authToken) {
    printNotices(plan)
    await report(plan)
    return { settings, version: plan.version }
  }
  const { sentryUrl, org, requestTimeoutMs } = settings
  const send = counted(
    createSentryClient({ sentryUrl, authToken, org, timeoutMs: requestTimeoutMs, retry: retryPolicy(process.env) }),
    progress
  )
  const sent = await publish(plan, send, localPlan)
  progress.plan = sent.plan
  progress.release = sent.release
  printNotices(sent.plan)
  const waited = await waitForCommits(sent.plan, sent.release, send, settings.waitForCommitsMs, gitRangeCheck(git, sent.plan.range))
  const { release, listed } = waited
  progress.release = release
  if (!plan.deploy) {
    await report(sent.plan, release, undefined, undefined, listed)
    return { settings, version: plan.version, release }
  }
  const environment = String(plan.deploy.create.body.environment)
  const deployed = await recordDeploy(plan.deploy, release, send, sentryUrl).catch(async (error: unknown) => {
    // The release is updated: its outputs and summary still tell so, before the run fails for the deploy.
    const why = errorMessage(error)
    await report(sent.plan, release, undefined, why, listed)
    progress.reported = true
    throw new Error(`Sentry release ${plan.version} was updated, but the deploy to ${environment} was not recorded: ${why}`)
  })
  await report(sent.plan, deployed.release, deployed, undefined, listed)
  return { settings, version: plan.version, release: deployed.release }
}

/** Counts the requests handed to Sentry's client, so a failed run's summary can say whether any was sent. */
function counted(send: SendRequest, progress: RunProgress): SendRequest {
  return (request, ifMaybeApplied) => {
    progress.requestsSent++
    return send(request, ifMaybeApplied)
  }
}

/** Debug line: what the run is for and where it goes (never the token). */
function contextText(context: GitHubContext, settings: Settings): string {
  const { eventName, ref, sha, repository, serverUrl, apiUrl } = context
  const mode = sendingToken(settings) ? `org ${settings.org} at ${settings.sentryUrl}` : 'dry run'
  return (
    `Event ${eventName || '(none)'}, ref ${ref || '(none)'}, sha ${sha || '(none)'}, repository ${repository || '(none)'}, ` +
    `GitHub ${serverUrl} (API ${apiUrl}); Sentry: ${mode}, set_commits ${settings.setCommits}, ` +
    `working directory ${settings.workingDirectory}.`
  )
}
