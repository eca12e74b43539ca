import type { EventGitFacts, GitHubContext, ReleaseTarget } from './context.js'
import { stringField } from './payload.js'

// Revision syntax (`^`, `~`, `:`, `@{`, `..`, globs, whitespace) is never part of a tag name: a head_branch
// holding any is not a tag, and it never reaches git inside a revision.
const NOT_IN_TAG_NAMES = /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{/

/** The tag a workflow_run may have run for: when a tag push triggered the run, head_branch is the tag's name. */
export function headBranchTagName(context: GitHubContext): string | undefined {
  if (context.eventName !== 'workflow_run') return undefined
  const name = stringField(context.payload.workflow_run, 'head_branch')
  return name !== undefined && !NOT_IN_TAG_NAMES.test(name) ? name : undefined
}

/** The commit the triggering run built ('' when the payload has none). */
export function headSha(context: GitHubContext): string {
  return stringField(context.payload.workflow_run, 'head_sha') ?? ''
}

/**
 * workflow_run: release what the triggering run built. GITHUB_SHA is the default branch's tip there, so the
 * head is `workflow_run.head_sha`; when head_branch names a tag at that very commit (a run triggered by a tag
 * push), the release is the tag, as for the tag push itself. A branch of that name, or a tag elsewhere, is not.
 */
export function workflowRunTarget(context: GitHubContext, facts: EventGitFacts): ReleaseTarget | undefined {
  if (context.eventName !== 'workflow_run') return undefined
  const sha = headSha(context)
  const tag = headBranchTagName(context)
  const tagged = tag !== undefined && sha !== '' && facts.headBranchTagCommit?.toLowerCase() === sha.toLowerCase()
  return tagged ? { kind: 'tag', tag, sha } : { kind: 'commit', sha }
}
