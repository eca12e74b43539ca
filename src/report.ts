import * as core from './runner.js'
import type { DeployOutcome } from './deploy.js'
import type { PlannedDeploy } from './deploy-plan.js'
import { describeCommits } from './commit-data.js'
import type { Plan, PlannedRequest } from './plan.js'
import { lastCommitId, listsCommitsUpTo, type SentryRelease } from './sentry-client.js'
import { apiUrl, githubPage } from './url.js'

const BACKGROUND_FETCH_NOTE = 'Sentry fetches the commits in the background, so commitCount may still rise.'

/** Refs were sent and Sentry does not list the range's commits yet (its fetch runs in the background). */
function stillFetching(plan: Plan, release: SentryRelease): boolean {
  return plan.commitSource === 'refs' && !listsCommitsUpTo(release, plan.range.head)
}

/** The action's outputs: from Sentry's answers, or from the plan alone in a dry run. Keys match action.yml. */
export function releaseOutputs(plan: Plan, release?: SentryRelease, deployed?: DeployOutcome): Record<string, string> {
  const dateReleased = release ? release.dateReleased : plan.update.body.dateReleased
  const outputs: Record<string, unknown> = {
    release: plan.version,
    version: plan.version,
    commitCount: release?.commitCount,
    deployCount: release?.deployCount,
    deployId: deployed?.deploy.id,
    lastDeploy: release?.lastDeploy && JSON.stringify(release.lastDeploy),
    newGroups: release?.newGroups,
    dateCreated: release?.dateCreated,
    dateReleased,
    headCommit: plan.range.head,
    previousCommit: plan.range.previous,
    commitRange: plan.range.previous ? `${plan.range.previous}..${plan.range.head}` : plan.range.head,
    commitsSent: plan.commitData?.commits.length ?? 0,
    lastCommit: release && lastCommitId(release),
    releaseUrl: plan.releasePage,
    json: release && JSON.stringify(release)
  }
  return Object.fromEntries(
    Object.entries(outputs).filter(([, value]) => value !== undefined && value !== null).map(([key, value]) => [key, String(value)])
  )
}

/** The job summary (GitHub-flavoured markdown with escaped HTML cells); deployFailure says why the deploy was not recorded. */
export function summaryMarkdown(plan: Plan, release?: SentryRelease, deployed?: DeployOutcome, deployFailure?: string): string {
  const rows: Array<[string, string]> = [
    ['Release', link(plan.releasePage, code(plan.version))],
    ['Repository', plan.repository ? escapeHtml(plan.repository) : '-'],
    ['Commits', plan.repository ? `${commitRange(plan)}${localCommitsText(plan)}` : 'not sent (set_commits: skip)']
  ]
  if (release) {
    const note = stillFetching(plan, release) ? ` (${BACKGROUND_FETCH_NOTE})` : ''
    rows.push(['commitCount', `${escapeHtml(String(release.commitCount))}${note}`], ['deployCount', escapeHtml(String(release.deployCount))])
  }
  const deploy = deployed?.deploy ?? plan.deploy?.create.body
  if (deploy) rows.push(['Deploy', deployText(plan, deploy, deployed, deployFailure)])
  const title = `### Sentry release ${code(plan.version)}${release ? '' : ' (dry run: nothing sent)'}`
  const table = ['| | |', '|---|---|', ...rows.map(([name, value]) => `| ${name} | ${value} |`)]
  const sent = [plan.update, ...(plan.deploy ? [plan.deploy.create] : [])]
  const request = release ? [] : ['', '```', ...sent.map(planned => requestText(plan.sentryUrl, planned)), '```']
  return [title, '', ...table, ...request, ''].join('\n')
}

/** What a dry run prints: the requests, exactly as they would be sent. */
export function planText(plan: Plan): string {
  const fallback =
    plan.ifMissing instanceof Error ? ` fail: ${plan.ifMissing.message}` : `\n${requestText(plan.sentryUrl, plan.ifMissing)}`
  return [
    `Dry run: nothing is sent to Sentry. The plan for release ${plan.version}:`,
    requestText(plan.sentryUrl, plan.update),
    `If Sentry has no such release:${fallback}`,
    ...(plan.fallbackToLocal ? [`If Sentry does not know repository ${plan.repository}: the same request with commits read from git instead of refs.`] : []),
    ...(plan.deploy ? [deployPlanText(plan.sentryUrl, plan.deploy)] : [])
  ].join('\n')
}

function deployPlanText(sentryUrl: string, deploy: PlannedDeploy): string {
  const check = deploy.list
    ? `Then, unless the release's deploys already include one with the same environment, name and times (a rerun):\n${requestText(sentryUrl, deploy.list)}\n`
    : 'Then record the deploy:\n'
  return `${check}${requestText(sentryUrl, deploy.create)}`
}

/** One log line saying what the release will span, before anything is sent. */
export function rangeText(plan: Plan): string {
  const { head, previous, previousTag } = plan.range
  const named = (sha: string, tag?: string): string => (tag ? `${sha.slice(0, 12)} (${tag})` : sha.slice(0, 12))
  if (!plan.repository) return `Release ${plan.version}: commits not sent (set_commits: skip).`
  if (!previous && plan.commitData) {
    return `Release ${plan.version} of ${plan.repository}: first release, the newest ${plan.commitData.commits.length} commits up to ${named(head, plan.tag)} from git (initial_depth).`
  }
  const start = previous ? `after ${named(previous, previousTag)}` : 'from a start Sentry chooses'
  return `Release ${plan.version} of ${plan.repository}: commits ${start} up to ${named(head, plan.tag)}.`
}

/** Sets the outputs, logs the result and writes the job summary (when the runner gives a file for it). */
export async function report(plan: Plan, release?: SentryRelease, deployed?: DeployOutcome, deployFailure?: string): Promise<void> {
  for (const [name, value] of Object.entries(releaseOutputs(plan, release, deployed))) core.setOutput(name, value)
  if (release) {
    core.info(`Sentry release ${plan.version}: commitCount ${release.commitCount}, deployCount ${release.deployCount}: ${plan.releasePage}`)
    if (stillFetching(plan, release)) core.info(BACKGROUND_FETCH_NOTE)
  } else {
    core.info(planText(plan))
  }
  if (deployed?.created) core.info(`Sentry recorded deploy ${String(deployed.deploy.id)} to ${String(deployed.deploy.environment)}.`)
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summaryMarkdown(plan, release, deployed, deployFailure)).write()
}

function requestText(sentryUrl: string, request: PlannedRequest): string {
  const line = `${request.method} ${apiUrl(sentryUrl, request.path)}`
  return request.body ? `${line}\n${JSON.stringify(readableBody(request.body), null, 2)}` : line
}

/** A body as a person reads it: up to max_commits commits shown as one line. */
function readableBody(body: Record<string, unknown>): Record<string, unknown> {
  return Array.isArray(body.commits) ? { ...body, commits: describeCommits(body.commits) } : body
}

/** What local commit data was sent, and how it was chosen. */
function localCommitsText(plan: Plan): string {
  if (!plan.commitData) return ''
  const touching = plan.paths.length > 0 ? `, only those touching ${plan.paths.map(code).join(', ')}` : ''
  return ` · ${plan.commitData.commits.length} commits sent from git${touching}`
}

/** Environment (linked to the release's page filtered by it), times, url, and whether this run recorded it. */
function deployText(plan: Plan, deploy: Record<string, unknown>, deployed?: DeployOutcome, failure?: string): string {
  const environment = String(deploy.environment)
  const page = `${plan.releasePage}?environment=${encodeURIComponent(environment)}`
  const parts = [
    link(page, code(environment)),
    typeof deploy.name === 'string' && deploy.name ? escapeHtml(deploy.name) : undefined,
    typeof deploy.dateStarted === 'string' ? `started ${escapeHtml(deploy.dateStarted)}` : undefined,
    typeof deploy.dateFinished === 'string' ? `finished ${escapeHtml(deploy.dateFinished)}` : undefined,
    typeof deploy.url === 'string' && deploy.url ? link(deploy.url, escapeHtml(deploy.url)) : undefined
  ]
  return `${parts.filter(Boolean).join(' · ')}${deployStatus(deployed, failure)}`
}

function deployStatus(deployed?: DeployOutcome, failure?: string): string {
  if (failure) return ` (<strong>not recorded</strong>: ${escapeHtml(failure)})`
  if (!deployed) return ' (planned)'
  return deployed.created ? '' : ' (recorded by an earlier run of this event; not sent again)'
}

function commitRange(plan: Plan): string {
  const { head, previous, previousTag } = plan.range
  const repositoryUrl = plan.githubRepositoryUrl
  const commitLink = (sha: string): string => (repositoryUrl ? link(githubPage(repositoryUrl, 'commit', sha), code(sha.slice(0, 12))) : code(sha.slice(0, 12)))
  const headText = `${commitLink(head)}${plan.tag ? ` (${code(plan.tag)})` : ''}`
  if (!previous) return plan.commitData ? `first release: the newest commits up to ${headText} (initial_depth)` : `start chosen by Sentry → ${headText}`
  const previousText = `${commitLink(previous)}${previousTag ? ` (${code(previousTag)})` : ''}`
  const compare = repositoryUrl ? ` · ${link(githubPage(repositoryUrl, 'compare', `${previous}...${head}`), 'compare')}` : ''
  return `${previousText} → ${headText}${compare}`
}

function link(url: string, html: string): string {
  return `<a href="${escapeHtml(url)}">${html}</a>`
}

export function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'|]/g, character => `&#${character.charCodeAt(0)};`)
}
