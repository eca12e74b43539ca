import * as core from '@actions/core'
import type { Plan, PlannedRequest } from './plan.js'
import type { SentryRelease } from './sentry-client.js'
import { apiUrl, githubPage } from './url.js'

const BACKGROUND_FETCH_NOTE = 'Sentry fetches the commits in the background, so commitCount may still rise.'

/** The action's outputs: from Sentry's answer, or from the plan alone in a dry run. Keys match action.yml. */
export function releaseOutputs(plan: Plan, release?: SentryRelease): Record<string, string> {
  const dateReleased = release ? release.dateReleased : plan.update.body.dateReleased
  const outputs: Record<string, unknown> = {
    release: plan.version,
    version: plan.version,
    commitCount: release?.commitCount,
    deployCount: release?.deployCount,
    newGroups: release?.newGroups,
    dateCreated: release?.dateCreated,
    dateReleased,
    headCommit: plan.range.head,
    previousCommit: plan.range.previous,
    lastCommit: (release?.lastCommit as { id?: unknown } | null | undefined)?.id,
    releaseUrl: plan.releasePage,
    json: release && JSON.stringify(release)
  }
  return Object.fromEntries(
    Object.entries(outputs).filter(([, value]) => value !== undefined && value !== null).map(([key, value]) => [key, String(value)])
  )
}

/** The job summary (GitHub-flavoured markdown with escaped HTML cells). */
export function summaryMarkdown(plan: Plan, release?: SentryRelease): string {
  const rows: Array<[string, string]> = [
    ['Release', link(plan.releasePage, code(plan.version))],
    ['Repository', plan.repository ? escapeHtml(plan.repository) : '-'],
    ['Commits', plan.repository ? commitRange(plan) : 'not sent (set_commits: skip)']
  ]
  if (release) {
    const note = plan.repository ? ` (${BACKGROUND_FETCH_NOTE})` : ''
    rows.push(['commitCount', `${escapeHtml(String(release.commitCount))}${note}`], ['deployCount', escapeHtml(String(release.deployCount))])
  }
  const title = `### Sentry release ${code(plan.version)}${release ? '' : ' (dry run: nothing sent)'}`
  const table = ['| | |', '|---|---|', ...rows.map(([name, value]) => `| ${name} | ${value} |`)]
  const request = release ? [] : ['', '```', requestText(plan.sentryUrl, plan.update), '```']
  return [title, '', ...table, ...request, ''].join('\n')
}

/** What a dry run prints: the requests, exactly as they would be sent. */
export function planText(plan: Plan): string {
  const fallback =
    plan.ifMissing instanceof Error ? ` fail: ${plan.ifMissing.message}` : `\n${requestText(plan.sentryUrl, plan.ifMissing)}`
  return [
    `Dry run: nothing is sent to Sentry. The plan for release ${plan.version}:`,
    requestText(plan.sentryUrl, plan.update),
    `If Sentry has no such release:${fallback}`
  ].join('\n')
}

/** One log line saying what the release will span, before anything is sent. */
export function rangeText(plan: Plan): string {
  const { head, previous, previousTag } = plan.range
  const named = (sha: string, tag?: string): string => (tag ? `${sha.slice(0, 12)} (${tag})` : sha.slice(0, 12))
  if (!plan.repository) return `Release ${plan.version}: commits not sent (set_commits: skip).`
  const start = previous ? `after ${named(previous, previousTag)}` : 'from a start Sentry chooses'
  return `Release ${plan.version} of ${plan.repository}: commits ${start} up to ${named(head, plan.tag)}.`
}

/** Sets the outputs, logs the result and writes the job summary (when the runner gives a file for it). */
export async function report(plan: Plan, release?: SentryRelease): Promise<void> {
  for (const [name, value] of Object.entries(releaseOutputs(plan, release))) core.setOutput(name, value)
  if (release) {
    core.info(`Sentry release ${plan.version}: commitCount ${release.commitCount}, deployCount ${release.deployCount}: ${plan.releasePage}`)
    if (plan.repository) core.info(BACKGROUND_FETCH_NOTE)
  } else {
    core.info(planText(plan))
  }
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summaryMarkdown(plan, release)).write()
}

function requestText(sentryUrl: string, request: PlannedRequest): string {
  return `${request.method} ${apiUrl(sentryUrl, request.path)}\n${JSON.stringify(request.body, null, 2)}`
}

function commitRange(plan: Plan): string {
  const { head, previous, previousTag } = plan.range
  const repositoryUrl = plan.githubRepositoryUrl
  const commitLink = (sha: string): string => (repositoryUrl ? link(githubPage(repositoryUrl, 'commit', sha), code(sha.slice(0, 12))) : code(sha.slice(0, 12)))
  const headText = `${commitLink(head)}${plan.tag ? ` (${code(plan.tag)})` : ''}`
  if (!previous) return `start chosen by Sentry → ${headText}`
  const previousText = `${commitLink(previous)}${previousTag ? ` (${code(previousTag)})` : ''}`
  const compare = repositoryUrl ? ` · ${link(githubPage(repositoryUrl, 'compare', `${previous}...${head}`), 'compare')}` : ''
  return `${previousText} → ${headText}${compare}`
}

function link(url: string, html: string): string {
  return `<a href="${escapeHtml(url)}">${html}</a>`
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"'|]/g, character => `&#${character.charCodeAt(0)};`)
}
