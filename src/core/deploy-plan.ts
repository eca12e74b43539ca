import type { DeployIntent } from './deployment-event.js'
import { InputError } from './errors.js'
import type { SentryDeploy, SentryRelease } from './sentry-answers.js'
import { sameInstant } from './event-time.js'
import type { PlannedRead, PlannedWrite } from './requests.js'
import { isRecord, withoutUndefined } from './payload.js'
import type { Settings } from './settings.js'
import { characters, MAX_URL_LENGTH, releasePath } from './url.js'

/** The deploy to record after the release update. */
export interface PlannedDeploy {
  /** POST …/deploys/: records the deploy. */
  create: PlannedWrite
  /**
   * GET …/deploys/, sent first when the release already has deploys: a rerun of the same event finds
   * its deploy there (isSameDeploy) and records no second one; also sent after a POST that failed in a way
   * Sentry may have applied, before sending it again. Undefined when the deploy has no start time to be
   * recognised by.
   */
  list?: PlannedRead
  /** Why the deployment's url was left out (longer than Sentry stores). */
  notice?: string
}

// Sentry's Deploy and Environment models (docs/sentry-api.md section 7).
const MAX_ENVIRONMENT_LENGTH = 64
const MAX_NAME_LENGTH = 64
const FORBIDDEN_IN_ENVIRONMENT: ReadonlyArray<[string, string]> = [
  ['\n', 'a newline'],
  ['\r', 'a carriage return'],
  ['\f', 'a form feed'],
  ['/', "'/'"]
]

/**
 * Pure: the deploy request when the event asks for one and an environment is known; checked against
 * Sentry's rules first, so a bad name fails before any request. `eventTime` is the fallback start.
 */
export function planDeploy(
  settings: Settings,
  intent: DeployIntent,
  version: string,
  eventTime: string | undefined
): PlannedDeploy | undefined {
  if (intent.kind !== 'deploy') return undefined
  const environment = settings.environment ?? intent.environment
  if (environment === undefined) return undefined
  checkEnvironment(environment, settings.environment === undefined ? ` (the deployment's environment)` : '')
  const name = settings.deployName
  if (name !== undefined && characters(name) > MAX_NAME_LENGTH) {
    throw new InputError('deploy_name', `Sentry allows at most ${MAX_NAME_LENGTH} characters, '${name}' has ${characters(name)}`)
  }
  const path = `${releasePath(settings.org, version)}deploys/`
  // deploy_url is checked in settings; the deployment status's url comes from GitHub and may be longer than Sentry stores.
  const tooLong = settings.deployUrl === undefined && intent.url !== undefined && characters(intent.url) > MAX_URL_LENGTH
  const body = withoutUndefined({
    environment,
    name,
    url: settings.deployUrl ?? (tooLong ? undefined : intent.url),
    dateStarted: settings.startedAt ?? intent.dateStarted ?? eventTime,
    dateFinished: intent.dateFinished,
    projects: settings.projects.length > 0 ? settings.projects : undefined
  })
  const notice = tooLong
    ? `The deployment's url has more than ${MAX_URL_LENGTH} characters, Sentry's limit: the deploy is recorded without it (set ` +
      `deploy_url to choose one).`
    : undefined
  return { create: { method: 'POST', path, body }, list: body.dateStarted ? { method: 'GET', path } : undefined, notice }
}

function checkEnvironment(environment: string, source: string): void {
  const problem = environmentProblem(environment)
  if (problem) throw new InputError('environment', `${problem}: ${JSON.stringify(environment)}${source}`)
}

/** Why Sentry would reject this environment name, or undefined when it is accepted. */
function environmentProblem(environment: string): string | undefined {
  const forbidden = FORBIDDEN_IN_ENVIRONMENT.find(([character]) => environment.includes(character))
  if (forbidden) return `Sentry forbids ${forbidden[1]} in an environment name`
  const length = characters(environment)
  if (length > MAX_ENVIRONMENT_LENGTH)
    return `Sentry allows at most ${MAX_ENVIRONMENT_LENGTH} characters in an environment name, this one has ${length}`
  if (environment.trim() === '') return 'the environment name is empty'
  return undefined
}

/**
 * Whether Sentry's deploy is the planned one (a rerun of the same event): same environment, name and start, and
 * the same finish when the planned deploy has one. Sentry cannot update a deploy, so a deployment's success
 * status records its own finished deploy (with its url) after the one its `deployment` event recorded, which
 * shares the start but finished when it was recorded. A rerun of the `deployment` event (no finish planned)
 * accepts either.
 */
export function isSameDeploy(planned: Record<string, unknown>, recorded: SentryDeploy): boolean {
  return (
    recorded.environment === planned.environment &&
    (recorded.name || undefined) === planned.name &&
    sameInstant(recorded.dateStarted, planned.dateStarted) &&
    (planned.dateFinished === undefined || sameInstant(recorded.dateFinished, planned.dateFinished))
  )
}

/** The release as Sentry holds it after the deploy POST: one more deploy, and it is the last (docs/sentry-api.md section 7). */
export function releaseAfterDeploy(release: Record<string, unknown>, deploy: SentryDeploy): Record<string, unknown> {
  return { ...release, deployCount: Number(release.deployCount ?? 0) + 1, lastDeploy: deploy }
}

/** The planned deploy among deploys Sentry returned, else undefined. */
export function recordedDeploy(planned: Record<string, unknown>, deploys: unknown): SentryDeploy | undefined {
  return (Array.isArray(deploys) ? deploys : []).filter(isRecord).find(deploy => isSameDeploy(planned, deploy))
}

/** The deploy Sentry holds for this run, and the release as Sentry now serializes it. */
export interface DeployOutcome {
  deploy: SentryDeploy
  /** False when an earlier run of the same event had recorded it already. */
  created: boolean
  release: SentryRelease
}
