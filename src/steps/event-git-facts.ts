import type { EventGitFacts, GitHubContext } from '../core/context.js'
import { deploymentTarget } from '../core/deployment-event.js'
import type { Git } from '../core/ports.js'
import { headBranchTagName, headSha } from '../core/workflow-run-event.js'
import { info } from './log.js'
import { escapeGlob, fetchMissingCommit, historyFetcher } from './shallow.js'

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
