import type { EventGitFacts, GitHubContext, ReleaseTarget } from './event.js'
import type { Git } from './git.js'
import { info } from './log-text.js'
import { stringField } from './payload.js'
import { escapeGlob, fetchMissingCommit, historyFetcher } from './shallow.js'

// Revision syntax (`^`, `~`, `:`, `@{`, `..`, globs, whitespace) is never part of a tag name: a head_branch
// holding any is not a tag, and it never reaches git inside a revision.
const NOT_IN_TAG_NAMES = /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{/

/** The tag a workflow_run may have run for: when a tag push triggered the run, head_branch is the tag's name. */
function headBranchTagName(context: GitHubContext): string | undefined {
  if (context.eventName !== 'workflow_run') return undefined
  const name = stringField(context.payload.workflow_run, 'head_branch')
  return name !== undefined && !NOT_IN_TAG_NAMES.test(name) ? name : undefined
}

/** The commit the triggering run built ('' when the payload has none). */
function headSha(context: GitHubContext): string {
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

/**
 * Fetches head_sha when the checkout lacks it, and the tag named by head_branch when a shallow checkout lacks it;
 * returns the commit that tag points to (annotated tags peeled), or undefined. A workflow_run job checks out the
 * default branch (actions/checkout's default, at depth 1), which may lack head_sha (an older commit, a release
 * branch's): that one commit is fetched first. A shallow checkout has no tags: this one tag is fetched from origin
 * when its commit is in the checkout (else it is not at head_sha anyway), so the range finds it locally and fetches
 * it no second time.
 */
export async function fetchHeadShaAndHeadBranchTag(context: GitHubContext, git: Git, log = info): Promise<string | undefined> {
  if (context.eventName !== 'workflow_run') return undefined
  await fetchMissingCommit(git, headSha(context), log)
  const tag = headBranchTagName(context)
  if (tag === undefined) return undefined
  const commitOfTag = () => git.commitOf(`refs/tags/${tag}`)
  const local = await commitOfTag()
  if (local !== undefined || !(await git.isShallow())) return local
  // One step: list origin's tag and fetch it if its commit is here; deepening cannot bring the commit checked out.
  const fetcher = historyFetcher(git, () => undefined, log)
  fetcher.follow(escapeGlob(tag))
  return (await fetcher.more()) ? commitOfTag() : undefined
}
