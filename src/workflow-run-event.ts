import type { GitHubContext, ReleaseTarget } from './event.js'
import { stringField } from './payload.js'

/**
 * workflow_run: release the commit the triggering run built (`workflow_run.head_sha`); GITHUB_SHA
 * is the default branch's tip there, not what was built.
 */
export function workflowRunTarget(context: GitHubContext): ReleaseTarget | undefined {
  if (context.eventName !== 'workflow_run') return undefined
  return { kind: 'commit', sha: stringField(context.payload.workflow_run, 'head_sha') ?? '' }
}
