import type { ReleaseTarget, GitHubContext } from './context.js'
import { isoDate } from './event-time.js'
import { inert } from './log-text.js'
import { isRecord, stringField, tagOfRef } from './payload.js'

/** What the event asks for besides the release update. */
export type DeployIntent =
  /** Record a deploy when an environment is known (the `environment` input, else the deployment's). */
  | { kind: 'deploy'; environment?: string; url?: string; dateStarted?: string; dateFinished?: string }
  /** Update the release, record no deploy (a deployment still in progress). */
  | { kind: 'release-only'; notice: string }
  /** Send nothing at all (a failed or inactive deployment). */
  | { kind: 'nothing'; notice: string }

const DEPLOYMENT_EVENTS = ['deployment', 'deployment_status']
const UNFINISHED_STATES = ['pending', 'queued', 'in_progress']
const FAILED_STATES = ['failure', 'error']

/**
 * deployment and deployment_status release what was deployed: the tag when the deployed ref is one
 * (GITHUB_REF, which is empty for a deployment created from a SHA), else `deployment.sha`.
 */
export function deploymentTarget(context: GitHubContext): ReleaseTarget | undefined {
  if (!DEPLOYMENT_EVENTS.includes(context.eventName)) return undefined
  const deployment = context.payload.deployment
  const sha = stringField(deployment, 'sha') ?? context.sha
  const tag = tagOfRef(stringField(deployment, 'ref')) ?? tagOfRef(context.ref)
  return tag === undefined ? { kind: 'commit', sha } : { kind: 'tag', tag, sha }
}

/**
 * deployment: a deploy started when the deployment was created. deployment_status: success is a
 * finished deploy; pending, queued and in_progress only update the release; anything else sends nothing.
 * Other events record a deploy only when the `environment` input is set.
 */
export function deployIntent(context: GitHubContext): DeployIntent {
  const { deployment, deployment_status: status } = context.payload
  if (!DEPLOYMENT_EVENTS.includes(context.eventName) || !isRecord(deployment)) return { kind: 'deploy' }
  const started = { environment: stringField(deployment, 'environment'), dateStarted: isoDate(deployment.created_at) }
  if (context.eventName === 'deployment') return { kind: 'deploy', ...started }

  const state = stringField(status, 'state') ?? 'unknown'
  const environment = stringField(status, 'environment') ?? started.environment
  const to = environment === undefined ? 'no environment' : inert(environment)
  const which = `Deployment ${inert(deployment.id ?? '')} to '${to}' is '${inert(state)}'`
  if (state === 'success') {
    const url = [stringField(status, 'environment_url'), stringField(status, 'target_url')].find(isHttpUrl)
    return { kind: 'deploy', ...started, environment, url, dateFinished: isoDate(isRecord(status) ? status.created_at : undefined) }
  }
  if (UNFINISHED_STATES.includes(state)) {
    return { kind: 'release-only', notice: `${which}: the release is updated; its deploy is recorded when the status is success.` }
  }
  const reason = FAILED_STATES.includes(state) ? 'it did not deploy' : 'there is no deploy to record'
  return { kind: 'nothing', notice: `${which}: ${reason}, so nothing is sent to Sentry.` }
}

function isHttpUrl(value: string | undefined): boolean {
  return value !== undefined && /^https?:\/\//i.test(value)
}
