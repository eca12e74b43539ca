import * as core from '@actions/core'
import { InputError } from '../core/errors.js'
import type { ReleaseTarget } from '../core/context.js'
import type { Git } from '../core/ports.js'
import { inert } from '../core/log-text.js'
import { info } from './log.js'
import type { CommitRange } from '../core/commit-range.js'
import type { Settings } from '../core/settings.js'
import { escapeGlob, findWithHistory, historyFetcher, type HistoryFetcher } from './shallow.js'

const SHA = /^[0-9a-f]{4,64}$/i

/**
 * Earlier tags of the same kind mark earlier releases: `web@1.4.0` -> `web@*`, `v2.0.0` -> `v*`,
 * `1.2.3` -> `*`. The part before the first digit is the family name, taken literally.
 */
export function defaultTagPattern(tag: string): string {
  const family = tag.match(/^\D*/)?.[0] ?? ''
  return `${escapeGlob(family)}*`
}

/**
 * Decides head and previous. auto: head is the tag peeled to its commit (or the run's commit), previous
 * the nearest tag matching the pattern reachable from head's parent; `commit`/`previous_commit` override
 * either. manual and skip: the SHAs given, without git.
 */
export async function resolveRange(
  settings: Settings,
  target: ReleaseTarget,
  git: Git,
  log: (line: string) => void = info
): Promise<CommitRange> {
  if (settings.setCommits === 'manual' || settings.setCommits === 'skip') {
    const head = givenSha(settings.commit ?? target.sha, 'commit')
    return { head, previous: settings.previousCommit && givenSha(settings.previousCommit, 'previous_commit') }
  }
  // Assigned once, but the fetcher below reads it through a closure while it is being found: const would throw there.
  // eslint-disable-next-line prefer-const
  let head: string | undefined
  // A shallow checkout (actions/checkout's default) lacks tags and history: fetch them from origin as needed.
  const fetcher = historyFetcher(git, () => head, log)
  head = settings.commit ? await revisionCommit(git, fetcher, settings.commit, 'commit') : await targetCommit(git, fetcher, target)
  core.debug(`Head commit: ${head} (${settings.commit ? `input 'commit' ${settings.commit}` : targetName(target)}).`)
  const range = await findPrevious(settings, target, git, fetcher, head)
  if (range.previous) range.count = await git.countCommits({ head, previous: range.previous, paths: [] })
  const start = range.previous ? `after ${range.previous}${range.previousTag ? ` (${range.previousTag})` : ''}` : 'start left to Sentry'
  const counted = range.count === undefined ? '' : ` (${range.count} commit${range.count === 1 ? '' : 's'})`
  core.debug(`Commit range: ${start} up to ${head}${counted}.`)
  return range
}

function targetName(target: ReleaseTarget): string {
  return target.kind === 'tag' ? `tag ${inert(target.tag)}` : `the event's commit`
}

/**
 * A first release read from git lists up to initial_depth commits: make sure a shallow checkout has them. Called only
 * when commits are read from git: with refs Sentry chooses the start, and the history is not needed.
 */
export async function deepenForFirstRelease(
  settings: Settings,
  git: Git,
  range: CommitRange,
  log: (line: string) => void = info
): Promise<void> {
  if (range.previous || range.missing) return
  const fetcher = historyFetcher(git, () => range.head, log)
  await findWithHistory(fetcher, async () => {
    const enough = (await git.countCommits({ head: range.head, paths: [], maxCount: settings.initialDepth })) >= settings.initialDepth
    return enough || !(await git.isShallow()) ? true : undefined
  })
}

async function findPrevious(
  settings: Settings,
  target: ReleaseTarget,
  git: Git,
  fetcher: HistoryFetcher,
  head: string
): Promise<CommitRange> {
  if (settings.previousCommit) {
    const given = settings.previousCommit
    const previous = await findWithHistory(
      fetcher,
      async () => {
        const commit = await git.commitOf(given)
        return commit && (await git.isAncestor(commit, head)) ? commit : undefined
      },
      escapeGlob(given)
    )
    return previous ? { head, previous } : missingStart(settings, head, `previous_commit '${given}' is not in the history of ${head}`)
  }
  const tagPattern = settings.tagPattern ?? (target.kind === 'tag' ? defaultTagPattern(target.tag) : '*')
  const ownTag = target.kind === 'tag' ? target.tag : undefined
  // Finding head may already have deepened a shallow checkout to its root: its tags are still missing then. Asked once:
  // the answer stays true while fetching (a deepening marks it), and a checkout lacking none is never fetched into.
  const mayLackTags = await fetcher.mayLackTags()
  // undefined: not found yet (maybe after fetching); null: no earlier tag exists.
  const nearestTag = async (): Promise<string | null | undefined> => {
    const parent = await git.commitOf(`${head}^`)
    if (core.isDebug()) await debugTagCandidates(git, tagPattern)
    const tag = parent && (await git.nearestTag(parent, tagPattern))
    const from = parent ? `${head}^` : `${head} (it has no parent)`
    core.debug(`Nearest tag matching '${inert(tagPattern)}' reachable from ${from}: ${tag ? inert(tag) : 'none'}.`)
    if (tag) return tag
    // Every matching tag is known once origin's were listed (shallow), or from the checkout's own (complete) tags.
    const tags = fetcher.remoteTags(tagPattern) ?? (mayLackTags ? undefined : await git.listTags(tagPattern))
    return tags?.every(name => name === ownTag) ? null : undefined
  }
  const previousTag = mayLackTags ? await findWithHistory(fetcher, nearestTag, tagPattern) : await nearestTag()
  if (previousTag) return { head, previous: await git.commitOf(`refs/tags/${previousTag}`), previousTag, tagPattern }
  if (previousTag === undefined && mayLackTags) {
    return missingStart(settings, head, `no earlier tag matching '${tagPattern}' is in the shallow history of ${head}`, tagPattern)
  }
  return { head, tagPattern }
}

const CANDIDATES_LOGGED = 20

/** With step debug logging on: the checkout's tags the pattern matches, among which the nearest is chosen. */
async function debugTagCandidates(git: Git, tagPattern: string): Promise<void> {
  const tags = await git.listTags(tagPattern)
  const names = tags
    .slice(-CANDIDATES_LOGGED)
    .map(tag => inert(tag))
    .join(', ')
  const more = tags.length > CANDIDATES_LOGGED ? ` (the last ${CANDIDATES_LOGGED} by name of ${tags.length})` : ''
  core.debug(`Tags matching '${inert(tagPattern)}' in the checkout${more}: ${names || 'none'}.`)
}

/** The start is missing even after fetching: fail, or with ignore_missing let Sentry choose it. */
function missingStart(settings: Settings, head: string, reason: string, tagPattern?: string): CommitRange {
  if (!settings.ignoreMissing) {
    throw new Error(
      `Cannot find the start of the commit range: ${reason}, even after fetching from origin. ` +
        `Use actions/checkout with fetch-depth: 0, or set ignore_missing: true to continue without it.`
    )
  }
  return { head, tagPattern, missing: `${reason} (ignore_missing: continuing without previousCommit; Sentry chooses the start)` }
}

function givenSha(value: string, input: string): string {
  if (!value) throw new InputError(input, 'is required: GITHUB_SHA is not set')
  if (!SHA.test(value)) throw new InputError(input, `'${value}' must be a commit SHA (4 to 64 hex digits) unless set_commits is auto`)
  return value
}

async function revisionCommit(git: Git, fetcher: HistoryFetcher, revision: string, input: string): Promise<string> {
  const commit = await findWithHistory(fetcher, () => git.commitOf(revision), escapeGlob(revision))
  if (!commit) throw new InputError(input, `'${revision}' is not a commit in the checkout (fetch it with actions/checkout fetch-depth: 0)`)
  return commit
}

async function targetCommit(git: Git, fetcher: HistoryFetcher, target: ReleaseTarget): Promise<string> {
  const revision = target.kind === 'tag' ? `refs/tags/${target.tag}` : target.sha
  if (target.kind === 'commit' && !SHA.test(target.sha)) throw new InputError('commit', 'is required: GITHUB_SHA is not set')
  const commit = await findWithHistory(fetcher, () => git.commitOf(revision), target.kind === 'tag' ? escapeGlob(target.tag) : undefined)
  if (commit) return commit
  throw new Error(
    `${target.kind === 'tag' ? `Tag '${target.tag}'` : `Commit ${target.sha}`} is not in the git checkout: ` +
      `run actions/checkout (fetch-depth: 0) first, or set working_directory`
  )
}
