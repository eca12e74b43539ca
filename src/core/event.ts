import { deploymentTarget } from './deployment-event.js'
import type { EventGitFacts, GitHubContext, ReleaseTarget } from './context.js'
import { inert } from './log-text.js'
import { stringField, tagOfRef } from './payload.js'
import { workflowRunTarget } from './workflow-run-event.js'

// GitHub release actions after which there is no published release: updating Sentry's would be wrong.
// `edited` is not one: the release and its tag still stand, and the update (idempotent) follows a changed tag_name.
const WITHDRAWN_RELEASE_ACTIONS = ['deleted', 'unpublished']

/**
 * Why the event must send nothing (a deleted tag, a deleted or unpublished GitHub release), else undefined.
 * The Sentry release is left as it is: it records what was deployed, which deleting on GitHub does not undo.
 */
export function nothingToRelease({ eventName, payload, ref }: GitHubContext): string | undefined {
  const tag = eventTag(eventName, payload, ref)
  const shown = tag === undefined ? '(no tag_name)' : inert(tag)
  if (eventName === 'push' && tag !== undefined && payload.deleted === true) {
    return `Tag ${shown} was deleted: there is no release to update.`
  }
  const action = stringField(payload, 'action') ?? ''
  if (eventName === 'release' && WITHDRAWN_RELEASE_ACTIONS.includes(action)) {
    return `GitHub release ${shown} was ${action}: the Sentry release is left as it is, nothing is sent.`
  }
  return undefined
}

// Their GITHUB_SHA is a temporary merge commit that no branch or tag will ever hold: not a release.
const MERGE_COMMIT_EVENTS = ['pull_request', 'pull_request_review', 'pull_request_review_comment', 'merge_group']

/**
 * Tag pushes, tag creation and releases release the tag; deployments and workflow runs what they name
 * (their own modules); every other event releases the commit. Events in nothingToRelease are checked first.
 */
export function releaseTarget(context: GitHubContext, facts: EventGitFacts = {}): ReleaseTarget {
  const named = deploymentTarget(context) ?? workflowRunTarget(context, facts)
  if (named) return checkedTag(named)
  const { eventName, payload, sha } = context
  if (MERGE_COMMIT_EVENTS.includes(eventName)) {
    throw new Error(
      `Event '${eventName}' is not supported: its GITHUB_SHA is a temporary merge commit, not a release. ` +
        'Run on push, release, deployment or workflow_dispatch events'
    )
  }
  const tag = eventTag(eventName, payload, context.ref)
  return checkedTag(tag === undefined ? { kind: 'commit', sha } : { kind: 'tag', tag, sha })
}

/**
 * A tag name from the payload, refused when git could not hold it: a control character (a NUL, which no process
 * argument can carry, a newline) is in no git ref name. Shown inert: one line, bounded.
 */
function checkedTag(target: ReleaseTarget): ReleaseTarget {
  if (target.kind === 'tag' && /[\x00-\x1f\x7f]/.test(target.tag)) {
    throw new Error(`The event names tag '${inert(target.tag)}', which holds a control character: no git tag has one`)
  }
  return target
}

function eventTag(eventName: string, payload: Record<string, unknown>, ref: string): string | undefined {
  switch (eventName) {
    case 'push':
      return tagOfRef(stringField(payload, 'ref') ?? ref)
    case 'create':
      return payload.ref_type === 'tag' ? stringField(payload, 'ref') : undefined
    case 'release':
      return stringField(payload.release, 'tag_name')
    default:
      return undefined
  }
}
