import { deploymentTarget } from './deployment-event.js'
import type { Git } from './git.js'
import { inert, info } from './log-text.js'
import { stringField, tagOfRef } from './payload.js'
import { fetchMissingCommit } from './shallow.js'
import { fetchHeadShaAndHeadBranchTag, workflowRunTarget } from './workflow-run-event.js'

/** The runner's description of the run, as @actions/github's context gives it (see github-context.ts). */
export interface GitHubContext {
  eventName: string
  /** The parsed GITHUB_EVENT_PATH file; {} when there is none. */
  payload: Record<string, unknown>
  /** GITHUB_REF, e.g. refs/tags/v1.2.0. */
  ref: string
  /** GITHUB_SHA: the commit the run is for ('' outside a runner). */
  sha: string
  /** owner/name ('' outside a runner). */
  repository: string
  /** GITHUB_SERVER_URL without trailing slash, for links to commits and tags (a GitHub Enterprise Server's own). */
  serverUrl: string
  /** GITHUB_API_URL without trailing slash. */
  apiUrl: string
}

/** What the run releases. `sha` is the event's commit; for tags it is only a hint, the tag is peeled in git. */
export type ReleaseTarget = { kind: 'tag'; tag: string; sha: string } | { kind: 'commit'; sha: string }

/** What the checkout says about names in the payload, read by fetchEventGitFacts so releaseTarget stays pure. */
export interface EventGitFacts {
  /** workflow_run: the commit of the tag named by head_branch, when the checkout has such a tag. */
  headBranchTagCommit?: string
}

/**
 * The git facts releaseTarget needs for this event: none except for workflow_run, whose head_sha and head_branch tag
 * are fetched first when the checkout lacks them. A deployment's sha is fetched the same way when the job checked out
 * another ref (e.g. the default branch), so the range starts from the deployed commit.
 */
export async function fetchEventGitFacts(context: GitHubContext, git: Git, log: (line: string) => void = info): Promise<EventGitFacts> {
  const deployed = deploymentTarget(context)
  if (deployed) await fetchMissingCommit(git, deployed.sha, log)
  return { headBranchTagCommit: await fetchHeadShaAndHeadBranchTag(context, git, log) }
}

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
