import { examplePayload } from './events.js'

type Payload = Record<string, unknown>

/** The real `deployment` example (production, created 2019-05-15T15:20:53Z), deploying `ref` at `sha`. */
export function deploymentPayload(sha: string, ref: string): Payload {
  const payload = examplePayload('deployment', p => (p.deployment as Payload).environment === 'production')
  Object.assign(payload.deployment as Payload, { sha, ref })
  return payload
}

/**
 * The real `deployment_status` example (success, created 2019-05-15T15:20:55Z) in the given state,
 * for a deployment of `ref` at `sha`; `status` overrides fields of the status.
 */
export function deploymentStatusPayload(sha: string, ref: string, state: string, status: Payload = {}): Payload {
  const payload = examplePayload('deployment_status', p => (p.deployment_status as Payload).state === 'success')
  Object.assign(payload.deployment as Payload, { sha, ref })
  Object.assign(payload.deployment_status as Payload, { state, ...status })
  return payload
}

/** The real completed `workflow_run` example, for a run that built `headSha`. */
export function workflowRunPayload(headSha: string): Payload {
  const payload = examplePayload('workflow_run', p => p.action === 'completed')
  Object.assign(payload.workflow_run as Payload, { head_sha: headSha })
  return payload
}
