import * as core from '@actions/core'
import { sameInstant } from '../core/event-time.js'
import { inGroup, info } from './log.js'
import { isRecord } from '../core/payload.js'
import type { Plan } from '../core/plan.js'
import { rangeText } from '../core/report-text.js'
import { releaseAnswer, type SentryRelease } from '../core/sentry-answers.js'
import type { SendRequest } from '../core/ports.js'
import { SentryError } from '../core/sentry-errors.js'
import { lookUpRepository } from './sentry-repository.js'

// Sentry's answer to refs naming a repository it does not have (docs/sentry-api.md section 1, step 7).
const UNKNOWN_REPOSITORY = 'Invalid repository names'

/**
 * Sends the plan and returns the plan that was sent, for the report. In auto mode Sentry's repository list decides
 * first: a repository with an integration gets refs; one without (or none) gets the commits from git (`localPlan`),
 * on every run, since Sentry's fetch skips a repository without provider. When Sentry would not list repositories, refs
 * are sent and "Invalid repository names" falls back to the commits from git. Which path was taken is said once.
 */
export async function publish(
  plan: Plan,
  send: SendRequest,
  localPlan: () => Promise<Plan>
): Promise<{ plan: Plan; release: SentryRelease }> {
  if (plan.fallbackToLocal) {
    const kind = await lookUpRepository({ org: plan.org, name: plan.repository ?? '', sentryUrl: plan.sentryUrl }, send)
    if (kind === 'integration') info(`Sentry's repository ${plan.repository} has an integration: Sentry fetches the commits (refs).`)
    if (kind === 'absent') return sendLocal(plan, localPlan, send, () => warnUnknownRepository(plan))
    if (kind === 'no-integration') {
      return sendLocal(plan, localPlan, send, () =>
        core.notice(noIntegrationNotice(plan), { title: `Commits from git for ${plan.repository}` })
      )
    }
  }
  try {
    return { plan, release: await writeRelease(plan, send) }
  } catch (error) {
    if (!(plan.fallbackToLocal && error instanceof SentryError && error.status === 400 && error.message.includes(UNKNOWN_REPOSITORY))) {
      throw error
    }
  }
  return sendLocal(plan, localPlan, send, () => warnUnknownRepository(plan))
}

async function sendLocal(
  plan: Plan,
  localPlan: () => Promise<Plan>,
  send: SendRequest,
  sayWhy: () => void
): Promise<{ plan: Plan; release: SentryRelease }> {
  sayWhy()
  const local = await inGroup('Reading the commits from git instead', localPlan)
  // The first plan's warnings were printed already.
  const title = { title: `Sentry release ${plan.version}` }
  local.warnings.filter(warning => !plan.warnings.includes(warning)).forEach(warning => core.warning(warning, title))
  info(rangeText(local))
  return { plan: local, release: await writeRelease(local, send) }
}

/**
 * Makes Sentry's release hold the plan, in the plan's order: create first (one request for a new tag or a rerun), or
 * update first when it cannot be created. A release that existed before the create (208, or 201 for an added project)
 * keeps its ref, url and dateReleased: they follow in a PUT when they differ. After an update, missing projects are added.
 */
export async function writeRelease(plan: Plan, send: SendRequest): Promise<SentryRelease> {
  if (plan.order === 'create' && !(plan.create instanceof Error)) return applyFields(plan, answer(plan, await send(plan.create)), send)
  // Update first only when the release cannot be created (no projects, or create: false): a 404 fails naming the input.
  let release: SentryRelease
  try {
    release = answer(plan, await send(plan.update))
  } catch (error) {
    if (error instanceof SentryError && error.status === 404 && plan.create instanceof Error) throw plan.create
    throw error
  }
  return addProjects(plan, release, send)
}

/** Sentry's answer to a release request, checked to be the planned release. */
function answer(plan: Plan, body: unknown): SentryRelease {
  return releaseAnswer(body, plan.version, plan.sentryUrl)
}

/** The planned ref, url and dateReleased that the release Sentry returned does not hold. */
export function unappliedFields(plan: Plan, release: SentryRelease): string[] {
  return Object.entries(plan.fields)
    .filter(([name, value]) => (name === 'dateReleased' ? !sameInstant(value, release[name]) : value !== release[name]))
    .map(([name]) => name)
}

async function applyFields(plan: Plan, release: SentryRelease, send: SendRequest): Promise<SentryRelease> {
  const names = unappliedFields(plan, release)
  if (names.length === 0) return release
  info(`Sentry had release ${plan.version} already, and its create leaves ${names.join(', ')} as they were: updating them.`)
  const body = Object.fromEntries(names.map(name => [name, plan.fields[name]]))
  return answer(plan, await send({ method: 'PUT', path: plan.update.path, body }))
}

async function addProjects(plan: Plan, release: SentryRelease, send: SendRequest): Promise<SentryRelease> {
  if (!plan.addProjects) return release
  const slugs = new Set((Array.isArray(release.projects) ? release.projects : []).filter(isRecord).map(project => project.slug))
  const missing = (plan.addProjects.body.projects as string[]).filter(slug => !slugs.has(slug))
  if (missing.length === 0) return release
  info(`Release ${plan.version} is not in project(s) ${missing.join(', ')} yet: adding them (only Sentry's create adds projects).`)
  return answer(plan, await send(plan.addProjects))
}

function warnUnknownRepository(plan: Plan): void {
  core.warning(unknownRepositoryWarning(plan), { title: `Sentry does not know repository ${plan.repository}` })
}

function unknownRepositoryWarning(plan: Plan): string {
  return (
    `Sentry has no repository '${plan.repository}' in org '${plan.org}', so it cannot fetch the commits: ` +
    `sending them from git instead. To link commits to GitHub, install Sentry's GitHub integration ` +
    `(Settings > Integrations > GitHub) and add the repository, or set 'repo' to the name Sentry shows; ` +
    `set_commits: local skips this check.`
  )
}

function noIntegrationNotice(plan: Plan): string {
  return (
    `Sentry's repository '${plan.repository}' has no integration (commits sent from git created it), so Sentry cannot fetch ` +
    `commits for it: sending them from git, as on every run until Sentry's GitHub integration adds the repository.`
  )
}
