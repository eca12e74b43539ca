// The commits/refs part shared by release PUT and create (docs/sentry-api.md section 1, "Processing order").
import type { Release } from '../model.js'
import { ApiError, detail } from '../http.js'
import {
  clearCommits,
  InvalidRepository,
  orderCommits,
  previousRelease,
  replaceCommits,
  setHeadCommits,
  type CommitInput,
  type RefInput
} from '../commits.js'
import type { Ctx } from './context.js'

interface HeadCommitInput {
  repository: string
  currentId: string
  previousId?: string | null
}

/** set_commits, refs (or deprecated headCommits) and the background fetch; PUT also clears on `refs: []`. */
export function applyCommitsAndRefs(ctx: Ctx, release: Release, data: Record<string, unknown>, clearOnEmptyRefs: boolean): void {
  const commits = data.commits as CommitInput[] | undefined
  if (commits && commits.length > 0) {
    // set_commits sorts and filters before it looks at its lock: a crash there comes first.
    const ordered = orderCommits(commits)
    if (ctx.commitLock) throw detail(409, 'Release commits are currently being processed')
    replaceCommits(ctx.state, release, ordered, true)
  }
  let refs = (data.refs as RefInput[] | undefined) ?? []
  const headCommits = (data.headCommits as HeadCommitInput[] | undefined) ?? []
  if (refs.length === 0 && headCommits.length > 0) {
    refs = headCommits.map(h => ({ repository: h.repository, previousCommit: h.previousId ?? null, commit: h.currentId }))
  } else if (clearOnEmptyRefs && Array.isArray(data.refs) && data.refs.length === 0) {
    clearCommits(release)
  }
  if (refs.length === 0) return
  try {
    const resolved = setHeadCommits(ctx.state, release, refs)
    if (!commits || commits.length === 0) ctx.fetcher.schedule(ctx.state, release, resolved, previousRelease(ctx.state, release))
  } catch (e) {
    if (e instanceof InvalidRepository) throw new ApiError(400, { refs: [e.message] })
    throw e
  }
}
