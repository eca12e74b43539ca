// Sentry's set_commits / clear_commits / set_refs on a release (models/releases/set_commits.py, models/release.py).
import { releaseDate, type Author, type Commit, type Release } from './model.js'
import type { State } from './state.js'
import { truncateChars } from './fields.js'
import { refsRepo } from './repositories.js'
import { ServerCrash } from './validation.js'

export interface CommitInput {
  id: string
  repository?: string | null
  message?: string | null
  author_name?: string | null
  author_email?: string | null
  timestamp?: string | null
}
export interface RefInput {
  repository: string
  commit: string
  previousCommit?: string | null
}

const AUTHOR_EMAIL_MAX = 75

function authorOf(c: CommitInput): Author | null {
  const email = c.author_email || (c.author_name ? `${c.author_name}@localhost` : null)
  return email ? { name: c.author_name ?? null, email: truncateChars(email, AUTHOR_EMAIL_MAX) } : null
}

/** Python's type of set_commits' sort key `commit.get("timestamp", 0)`: absent is 0, null is None. */
function keyType(c: CommitInput): 'int' | 'None' | 'datetime' {
  if (!('timestamp' in c) || c.timestamp === undefined) return 'int'
  return c.timestamp === null ? 'None' : 'datetime'
}

/**
 * set_commits' `sort(key=timestamp or 0, reverse=True)`: stable, newest first. Python compares neither None with
 * anything nor 0 with a datetime, so a list of two or more holding a null, or mixing present and absent timestamps,
 * raises TypeError before anything is written: a 500.
 */
function sortNewestFirst(list: ReadonlyArray<CommitInput>): CommitInput[] {
  const types = new Set(list.map(keyType))
  if (list.length > 1 && (types.has('None') || types.size > 1)) {
    throw new ServerCrash("TypeError: '<' not supported between the commits' timestamps")
  }
  const time = (c: CommitInput): number => (keyType(c) === 'datetime' ? Date.parse(c.timestamp as string) : 0)
  return [...list].sort((a, b) => time(b) - time(a))
}

/** RepositoryProvider.should_ignore_commit: `"#skipsentry" in message`; a null message is a TypeError (500). */
function skipped(c: CommitInput): boolean {
  if (c.message === null) throw new ServerCrash("TypeError: argument of type 'NoneType' is not iterable")
  return (c.message ?? '').includes('#skipsentry')
}

/** set_commits' first steps, before its lock and any write: newest first, #skipsentry dropped (both may raise a 500). */
export function orderCommits(list: ReadonlyArray<CommitInput>): CommitInput[] {
  return sortNewestFirst(list).filter(c => !skipped(c))
}

/**
 * set_commits: replaces the release's commits (repositories found or created by name) and then only FILLS a missing
 * head commit per repository with its newest commit (fill_in_missing_release_head_commits): a head commit set_refs
 * recorded stays.
 */
export function replaceCommits(state: State, release: Release, list: ReadonlyArray<CommitInput>, ordered = false): void {
  const org = state.orgById(release.orgId)
  const kept = ordered ? list : orderCommits(list)
  release.commits = kept.map((c): Commit => ({
    key: c.id,
    repoId: state.repoForCommits(org, c.repository || `organization-${org.id}`).id,
    message: c.message ?? null,
    author: authorOf(c),
    dateCreated: new Date(c.timestamp ? Date.parse(c.timestamp) : Date.now()).toISOString()
  }))
  for (const commit of release.commits) {
    if (!release.headCommits.has(commit.repoId)) release.headCommits.set(commit.repoId, commit.key)
  }
}

/**
 * clear_commits (PUT with `refs: []`): it deletes the head commit with ReleaseHeadCommit.objects.get(), so a release
 * with none (DoesNotExist) or with several repositories (MultipleObjectsReturned) makes Sentry answer 500.
 */
export function clearCommits(release: Release): void {
  if (release.headCommits.size !== 1) {
    throw new ServerCrash(
      release.headCommits.size === 0 ? 'ReleaseHeadCommit matching query does not exist.' : 'get() returned more than one ReleaseHeadCommit'
    )
  }
  release.commits = []
  release.headCommits.clear()
}

/** Unique authors of the release's commits, in commit order. */
export function authorsOf(release: Release): Author[] {
  const byEmail = new Map<string, Author>()
  for (const c of release.commits) if (c.author && !byEmail.has(c.author.email)) byEmail.set(c.author.email, c.author)
  return [...byEmail.values()]
}

export class InvalidRepository extends Error {}

/** Splits "a..b" ranges into previousCommit/commit, overriding a given previousCommit (handle_commit_ranges). */
export function splitRange(ref: RefInput): RefInput {
  const [start, end] = ref.commit.split('..')
  return end === undefined ? ref : { ...ref, previousCommit: start, commit: end }
}

/**
 * set_refs: every named repository must exist in the org (any status, provider or not); each ref replaces the
 * repository's head commit. Unknown names raise before anything changes.
 */
export function setHeadCommits(state: State, release: Release, refs: RefInput[]): RefInput[] {
  const org = state.orgById(release.orgId)
  const names = [...new Set(refs.map(r => r.repository))]
  const invalid = names.filter(name => !refsRepo(org, name))
  if (invalid.length > 0) throw new InvalidRepository(`Invalid repository names: ${invalid.join(',')}`)
  const split = refs.map(splitRange)
  for (const ref of split) release.headCommits.set(refsRepo(org, ref.repository)!.id, ref.commit)
  return split
}

/** get_previous_release: the newest other release sharing a project, by COALESCE(date_released, date_added). */
export function previousRelease(state: State, release: Release): Release | undefined {
  return state.releases
    .filter(r => r.orgId === release.orgId && r.version !== release.version && r.projectIds.some(id => release.projectIds.includes(id)))
    .sort((a, b) => releaseDate(b).localeCompare(releaseDate(a)))[0]
}
