import { InputError } from './errors.js'
import type { ReleaseTarget } from './event.js'
import type { Git } from './git.js'
import type { Settings } from './settings.js'

/** The commits a release spans: Sentry lists what lies after `previous` up to `head`. */
export interface CommitRange {
  head: string
  /** Start of the range (exclusive); undefined lets Sentry choose. */
  previous?: string
  /** The earlier tag `previous` comes from. */
  previousTag?: string
  /** The glob earlier tags were searched with (auto mode only). */
  tagPattern?: string
  /** No earlier tag was found in a shallow checkout, where tags and history are often missing. */
  shallowCheckout?: boolean
}

export type ReleasedTarget = Exclude<ReleaseTarget, { kind: 'tag-deleted' }>

const SHA = /^[0-9a-f]{4,64}$/i

/**
 * Earlier tags of the same kind mark earlier releases: `web@1.4.0` -> `web@*`, `v2.0.0` -> `v*`,
 * `1.2.3` -> `*`. The part before the first digit is the family name, taken literally.
 */
export function defaultTagPattern(tag: string): string {
  const family = tag.match(/^\D*/)?.[0] ?? ''
  return `${family.replace(/[*?[\]\\]/g, '\\$&')}*`
}

/**
 * Decides head and previous. auto: head is the tag peeled to its commit (or the run's commit), previous
 * the nearest tag matching the pattern reachable from head's parent; `commit`/`previous_commit` override
 * either. manual and skip: the SHAs given, without git.
 */
export async function resolveRange(settings: Settings, target: ReleasedTarget, git: Git): Promise<CommitRange> {
  if (settings.setCommits !== 'auto') {
    const head = givenSha(settings.commit ?? target.sha, 'commit')
    return { head, previous: settings.previousCommit && givenSha(settings.previousCommit, 'previous_commit') }
  }
  const head = settings.commit ? await revisionCommit(git, settings.commit, 'commit') : await targetCommit(git, target)
  if (settings.previousCommit) {
    return { head, previous: await revisionCommit(git, settings.previousCommit, 'previous_commit') }
  }
  const tagPattern = settings.tagPattern ?? (target.kind === 'tag' ? defaultTagPattern(target.tag) : '*')
  const parent = await git.commitOf(`${head}^`)
  const previousTag = parent && (await git.nearestTag(parent, tagPattern))
  if (!previousTag) return { head, tagPattern, shallowCheckout: await git.isShallow() }
  return { head, previous: await git.commitOf(`refs/tags/${previousTag}`), previousTag, tagPattern }
}

function givenSha(value: string, input: string): string {
  if (!value) throw new InputError(input, 'is required: GITHUB_SHA is not set')
  if (!SHA.test(value)) throw new InputError(input, `'${value}' must be a commit SHA (4 to 64 hex digits) unless set_commits is auto`)
  return value
}

async function revisionCommit(git: Git, revision: string, input: string): Promise<string> {
  const commit = await git.commitOf(revision)
  if (!commit) throw new InputError(input, `'${revision}' is not a commit in the checkout (fetch it with actions/checkout fetch-depth: 0)`)
  return commit
}

async function targetCommit(git: Git, target: ReleasedTarget): Promise<string> {
  const revision = target.kind === 'tag' ? `refs/tags/${target.tag}` : target.sha
  if (target.kind === 'commit' && !SHA.test(target.sha)) throw new InputError('commit', 'is required: GITHUB_SHA is not set')
  const commit = await git.commitOf(revision)
  if (commit) return commit
  throw new Error(
    `${target.kind === 'tag' ? `Tag '${target.tag}'` : `Commit ${target.sha}`} is not in the git checkout: ` +
      `run actions/checkout (fetch-depth: 0) first, or set working_directory`
  )
}
