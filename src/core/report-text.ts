import { inert } from './log-text.js'
import { jsonText } from './output-limits.js'
import type { DeployOutcome, PlannedDeploy } from './deploy-plan.js'
import { describeCommits } from './commit-data.js'
import type { Plan } from './plan.js'
import type { PlannedRequest } from './requests.js'
import { lastCommitId, type SentryRelease } from './sentry-answers.js'
import { apiUrl, githubPage, repositoriesPath } from './url.js'

const BACKGROUND_FETCH_NOTE = 'Sentry fetches the commits in the background, so commitCount may still rise.'

/**
 * Refs were sent and Sentry was not seen listing the range's commits (`listed`, from listsRange): its fetch runs in the
 * background. An empty range fetches nothing.
 */
function stillFetching(plan: Plan, listed: boolean | undefined): boolean {
  return plan.commitSource === 'refs' && listed !== true && plan.range.previous !== plan.range.head
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
    lastDeploy: release?.lastDeploy && jsonText(release.lastDeploy),
    newGroups: release?.newGroups,
    dateCreated: release?.dateCreated,
    dateReleased,
    headCommit: plan.range.head,
    previousCommit: plan.range.previous,
    commitRange: plan.range.previous ? `${plan.range.previous}..${plan.range.head}` : plan.range.head,
    commitsSent: plan.commitData?.commits.length ?? 0,
    lastCommit: release && lastCommitId(release),
    releaseUrl: plan.releasePage,
    json: release && jsonText(release)
  }
  return Object.fromEntries(
    Object.entries(outputs)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([key, value]) => [key, String(value)])
  )
}

/** The job summary (GitHub-flavoured markdown with escaped HTML cells); deployFailure says why the deploy was not recorded. */
export function summaryMarkdown(
  plan: Plan,
  release?: SentryRelease,
  deployed?: DeployOutcome,
  deployFailure?: string,
  listed?: boolean
): string {
  const rows: Array<[string, string]> = [
    ['Release', link(plan.releasePage, code(plan.version))],
    ['Repository', plan.repository ? escapeHtml(plan.repository) : '-'],
    ['Commits', plan.repository ? `${commitRange(plan)}${localCommitsText(plan)}` : 'not sent (set_commits: skip)']
  ]
  if (release) {
    const note = stillFetching(plan, listed) ? ` (${BACKGROUND_FETCH_NOTE})` : ''
    rows.push(
      ['commitCount', `${escapeHtml(String(release.commitCount))}${note}`],
      ['deployCount', escapeHtml(String(release.deployCount))]
    )
  }
  const deploy = deployed?.deploy ?? plan.deploy?.create.body
  if (deploy) rows.push(['Deploy', deployText(plan, deploy, deployed, deployFailure)])
  const title = `### Sentry release ${code(plan.version)}${release ? '' : ' (dry run: nothing sent)'}`
  const table = ['| | |', '|---|---|', ...rows.map(([name, value]) => `| ${name} | ${value} |`)]
  const sent = [firstRequest(plan), ...(plan.deploy ? [plan.deploy.create] : [])]
  const request = release ? [] : ['', '```', ...sent.map(planned => requestText(plan.sentryUrl, planned)), '```']
  return [title, '', ...table, ...request, ''].join('\n')
}

/** The request that goes first: the create when the plan creates first, else the update. */
export function firstRequest(plan: Plan): PlannedRequest {
  return plan.order === 'create' && !(plan.create instanceof Error) ? plan.create : plan.update
}

/** What a dry run prints: the requests, exactly as they would be sent, and when each one follows. */
export function planText(plan: Plan): string {
  const lines = [`Dry run: nothing is sent to Sentry. The plan for release ${plan.version}:`]
  if (plan.repository && plan.fallbackToLocal) {
    lines.push(`First, which kind of repository ${plan.repository} is in Sentry (refs need one with an integration):`)
    lines.push(`GET ${apiUrl(plan.sentryUrl, repositoriesPath(plan.org, plan.repository))}`)
  }
  lines.push(requestText(plan.sentryUrl, firstRequest(plan)))
  const fields = requestText(plan.sentryUrl, { method: 'PUT', path: plan.update.path, body: plan.fields })
  if (plan.create instanceof Error) lines.push(`If Sentry has no such release: fail: ${plan.create.message}`)
  else if (plan.order === 'update') lines.push(`If Sentry has no such release:\n${requestText(plan.sentryUrl, plan.create)}`)
  if (!(plan.create instanceof Error) && Object.keys(plan.fields).length > 0) {
    lines.push(
      `If Sentry had the release already (its create leaves ref, url and dateReleased as they were), the fields that differ:\n${fields}`
    )
  }
  if (plan.addProjects) lines.push(`If the release lacks one of the projects:\n${requestText(plan.sentryUrl, plan.addProjects)}`)
  if (plan.fallbackToLocal) {
    lines.push(
      `If Sentry's repository ${plan.repository} has no integration (or none exists): the same request with commits read from ` +
        `git instead of refs.`
    )
  }
  if (plan.deploy) lines.push(deployPlanText(plan.sentryUrl, plan.deploy))
  return lines.join('\n')
}

function deployPlanText(sentryUrl: string, deploy: PlannedDeploy): string {
  const check = deploy.list
    ? `Then, unless the release's deploys already include one with the same environment, name and times (a ` +
      `rerun):\n${requestText(sentryUrl, deploy.list)}\n`
    : 'Then record the deploy:\n'
  return `${check}${requestText(sentryUrl, deploy.create)}`
}

/** One log line saying what the release will span, before anything is sent. */
export function rangeText(plan: Plan): string {
  const { head, previous, previousTag } = plan.range
  const named = (sha: string, tag?: string): string => (tag ? `${sha.slice(0, 12)} (${inert(tag)})` : sha.slice(0, 12))
  if (!plan.repository) return `Release ${plan.version}: commits not sent (set_commits: skip).`
  if (!previous && plan.commitData) {
    return (
      `Release ${plan.version} of ${plan.repository}: first release, the newest ${plan.commitData.commits.length} commits ` +
      `up to ${named(head, plan.tag)} from git (initial_depth).`
    )
  }
  const start = previous ? `after ${named(previous, previousTag)}` : 'from a start Sentry chooses'
  return `Release ${plan.version} of ${plan.repository}: commits ${start} up to ${named(head, plan.tag)}.`
}

/** What the log says once Sentry holds the release (and the deploy, when this run recorded one): a line each. */
export function resultLines(plan: Plan, release: SentryRelease, deployed?: DeployOutcome, listed?: boolean): string[] {
  const lines = [
    `Sentry release ${plan.version}: commitCount ${release.commitCount}${gitCountText(plan)}, deployCount ` +
      `${release.deployCount}: ${plan.releasePage}`
  ]
  if (stillFetching(plan, listed)) lines.push(BACKGROUND_FETCH_NOTE)
  if (deployed?.created) lines.push(`Sentry recorded deploy ${inert(deployed.deploy.id)} to ${inert(deployed.deploy.environment)}.`)
  return lines
}

/** Beside Sentry's commitCount: how many commits git counts in the range, when refs were sent and git knows both ends. */
function gitCountText(plan: Plan): string {
  const { count, previous, head } = plan.range
  if (count === undefined || !previous || plan.commitSource !== 'refs') return ''
  return ` (git counts ${count} commit${count === 1 ? '' : 's'} in ${previous.slice(0, 12)}..${head.slice(0, 12)})`
}

/** How far a run got, for the summary of a run that failed. */
export interface RunProgress {
  /** The plan, once made (the one sent, after auto mode fell back to local commits). */
  plan?: Plan
  /** Sentry's release after its last successful answer. */
  release?: SentryRelease
  /** Requests handed to Sentry's client (each may have been tried more than once). */
  requestsSent: number
  /** The run's summary is written already (a deploy that failed after the release was updated). */
  reported: boolean
}

/** The job summary of a failed run (GitHub-flavoured markdown with escaped HTML cells). */
export function failureMarkdown(failure: string, progress: RunProgress): string {
  const { plan, release } = progress
  const rows: Array<[string, string]> = [
    ['Failed', escapeHtml(failure)],
    ['Sentry holds', escapeHtml(sentryHolds(progress))]
  ]
  if (plan) rows.splice(1, 0, ['Commits', plan.repository ? commitRange(plan) : 'not sent (set_commits: skip)'])
  if (plan && release) {
    rows.push(['commitCount', escapeHtml(String(release.commitCount))], ['deployCount', escapeHtml(String(release.deployCount))])
  }
  const title = plan ? `### Sentry release ${link(plan.releasePage, code(plan.version))}: failed` : '### Sentry release: failed'
  const table = ['| | |', '|---|---|', ...rows.map(([name, value]) => `| ${name} | ${value} |`)]
  return [title, '', ...table, ''].join('\n')
}

/** What this run left in Sentry, as far as its answers tell. */
function sentryHolds({ plan, release, requestsSent }: RunProgress): string {
  const which = plan ? `release ${plan.version}` : 'the release'
  if (release) return `${which} as updated by this run: what failed came after the update.`
  if (requestsSent === 0) return `${which} as it was before this run: nothing was sent.`
  return (
    `${which} as it was before this run, except what the error says Sentry kept: no request succeeded ` +
    `(one that timed out or was cut off may still have been applied; a rerun sends the same requests).`
  )
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
  const commitLink = (sha: string): string =>
    repositoryUrl ? link(githubPage(repositoryUrl, 'commit', sha), code(sha.slice(0, 12))) : code(sha.slice(0, 12))
  const headText = `${commitLink(head)}${plan.tag ? ` (${code(plan.tag)})` : ''}`
  if (!previous)
    return plan.commitData
      ? `first release: the newest commits up to ${headText} (initial_depth)`
      : `start chosen by Sentry → ` + `${headText}`
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

/** The most of one value a summary cell shows: a server's runaway string keeps the summary within GitHub's 1 MiB. */
const MAX_CELL_CHARS = 1000

/** Text for a cell: HTML and the table's '|' escaped, line breaks as entities (the row stays one line), cut when long. */
export function escapeHtml(text: string): string {
  const cut = text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS)}…` : text
  return cut.replace(/[&<>"'|\r\n]/g, character => `&#${character.charCodeAt(0)};`)
}
