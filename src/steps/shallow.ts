import { errorMessage } from '../core/errors.js'
import type { Git } from '../core/ports.js'
import { inert } from '../core/log-text.js'

// actions/checkout leaves `origin` pointing at the repository, with a token that can fetch.
const REMOTE = 'origin'
const FIRST_DEEPEN = 50
/** Deepening stops once this many commits were asked for in total (50 + 100 + ... + 6400 = 12,750). */
const DEEPEN_BOUND = 10_000
const NAMES_LOGGED = 5
// A full object name (SHA-1 or SHA-256): what a server fetches by; a short one is never fetched.
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i

/** Growing steps of history to fetch: 50, 100, 200, ... until their sum reaches the bound. */
export function deepenSteps(first = FIRST_DEEPEN, bound = DEEPEN_BOUND): number[] {
  const steps: number[] = []
  for (let step = first, total = 0; total < bound; total += step, step *= 2) steps.push(step)
  return steps
}

/** A name as a glob that matches only itself: `a*[b]` -> `a\*\[b\]`. */
export function escapeGlob(name: string): string {
  return name.replace(/[*?[\]\\]/g, '\\$&')
}

/** Fetches missing history one step at a time: the followed tags' names first, then deeper history while the checkout is shallow. */
export interface HistoryFetcher {
  /** Wants the remote tags matching the glob: listed at the next step, fetched once their commits are present. */
  follow(tagPattern: string): void
  /** Fetches the next step; false when there is nothing more to fetch (complete history, no origin, a failed fetch, the bound). */
  more(): Promise<boolean>
  /** Names of the tags on origin matching a followed glob, once a step has listed them; undefined before. */
  remoteTags(tagPattern: string): string[] | undefined
  /** Whether the checkout's tags may be incomplete: it is shallow, or was until this fetcher deepened it (without tags). */
  mayLackTags(): Promise<boolean>
}

/**
 * Bounded fetching for a shallow checkout. Never `git fetch --tags`: that brings the whole history behind every tag
 * (and fails on a tag actions/checkout created locally). Instead: the followed tags' names and commits from
 * `git ls-remote` (no objects), head's history only in growing `--deepen` steps (at most 12,750 commits), and after
 * each step exactly the followed tags whose commits are now present (tag objects only).
 * `head` is the commit to deepen (undefined: the checkout's HEAD). A failed fetch ends fetching, logged: callers then
 * report what is missing as usual.
 */
export function historyFetcher(git: Git, head: () => string | undefined, log: (line: string) => void): HistoryFetcher {
  const steps = deepenSteps()
  const listed = new Map<string, string[]>()
  const unlisted: string[] = []
  /** Followed tags not in the checkout yet -> the commit each peels to. */
  const wanted = new Map<string, string>()
  let hasOrigin: boolean | undefined
  let ended = false
  let deepened = false

  async function listFollowedTags(): Promise<void> {
    const local = new Set(await git.listTags())
    for (const pattern of unlisted.splice(0)) {
      const tags = await git.remoteTags(REMOTE, pattern)
      listed.set(pattern, [...tags.keys()])
      for (const [tag, commit] of tags) if (!local.has(tag)) wanted.set(tag, commit)
      log(`Listed ${tags.size} tag(s) matching '${inert(pattern)}' on ${REMOTE}.`)
    }
  }

  async function fetchPresentTags(): Promise<void> {
    const present = await git.presentCommits([...new Set(wanted.values())])
    const tags = [...wanted].filter(([, commit]) => present.has(commit)).map(([tag]) => tag)
    if (tags.length === 0) return
    await git.fetchTags(REMOTE, tags)
    tags.forEach(tag => wanted.delete(tag))
    const more = tags.length > NAMES_LOGGED ? `, … (${tags.length - NAMES_LOGGED} more)` : ''
    const names =
      tags
        .slice(0, NAMES_LOGGED)
        .map(tag => inert(tag))
        .join(', ') + more
    log(`Fetched ${tags.length} tag(s) from ${REMOTE}: ${names}.`)
  }

  async function deepen(): Promise<boolean> {
    const step = steps.shift()
    if (step === undefined || !(await git.isShallow())) return false
    const commit = head() ?? (await git.commitOf('HEAD'))
    if (!commit) return false
    await git.deepen(REMOTE, commit, step)
    deepened = true
    const depth = await git.countCommits({ head: commit, paths: [] })
    log(`Fetched ${step} more commits of history from ${REMOTE}: the checkout is shallow (${depth} commits of history now).`)
    return true
  }

  async function step(): Promise<boolean> {
    if (unlisted.length > 0) await listFollowedTags()
    else if (!(await deepen())) return false
    await fetchPresentTags()
    return true
  }

  return {
    follow(tagPattern) {
      if (!listed.has(tagPattern) && !unlisted.includes(tagPattern)) unlisted.push(tagPattern)
    },
    remoteTags: tagPattern => listed.get(tagPattern),
    mayLackTags: async () => deepened || (await git.isShallow()),
    async more() {
      hasOrigin ??= await git.hasRemote(REMOTE)
      if (!hasOrigin || ended) return false
      try {
        ended = !(await step())
      } catch (error) {
        ended = true
        log(`Cannot fetch from ${REMOTE}, continuing with the history at hand: ${errorMessage(error)}`)
      }
      return !ended
    }
  }
}

/**
 * Fetches a commit the checkout lacks by its SHA (GitHub serves any commit of the repository by SHA), e.g. a
 * workflow_run's head_sha when the checkout is the default branch: into a shallow checkout alone (deepening starts
 * from it), into a complete one with its missing history. A failed fetch is logged: callers report what is missing.
 */
export async function fetchMissingCommit(git: Git, sha: string, log: (line: string) => void): Promise<void> {
  if (!FULL_SHA.test(sha) || (await git.commitOf(sha)) !== undefined || !(await git.hasRemote(REMOTE))) return
  try {
    const shallow = await git.isShallow()
    await git.fetchCommit(REMOTE, sha, shallow ? 1 : undefined)
    log(`Fetched commit ${sha} from ${REMOTE}${shallow ? ' (without history)' : ''}: the checkout did not have it.`)
  } catch (error) {
    log(`Cannot fetch commit ${sha} from ${REMOTE}: ${errorMessage(error)}`)
  }
}

/**
 * Asks `find` again after each fetch step until it answers or nothing more can be fetched. `tagPattern`: the tags
 * that can answer, followed only once `find` has missed (a checkout that has them needs no `ls-remote`).
 */
export async function findWithHistory<T>(
  fetcher: HistoryFetcher,
  find: () => Promise<T | undefined>,
  tagPattern?: string
): Promise<T | undefined> {
  for (let first = true; ; first = false) {
    const found = await find()
    if (found !== undefined) return found
    if (first && tagPattern !== undefined) fetcher.follow(tagPattern)
    if (!(await fetcher.more())) return undefined
  }
}
