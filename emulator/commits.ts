// Sentry's set_commits / clear_commits / set_refs on a release (models/releases/set_commits.py, models/release.py).
import { releaseDate, type Author, type Commit, type Release } from './model.js'
import type { State } from './state.js'
import { truncateChars } from './fields.js'

export interface CommitInput {
  id: string; repository?: string | null; message?: string | null
  author_name?: string | null; author_email?: string | null; timestamp?: string | null
}
export interface RefInput { repository: string; commit: string; previousCommit?: string | null }

const AUTHOR_EMAIL_MAX = 75

function authorOf(c: CommitInput): Author | null {
  const email = c.author_email || (c.author_name ? `${c.author_name}@localhost` : null)
  return email ? { name: c.author_name ?? null, email: truncateChars(email, AUTHOR_EMAIL_MAX) } : null
}

function time(c: CommitInput): number {
  return c.timestamp ? Date.parse(c.timestamp) : 0
}

/** Replaces the release's commits: newest first, #skipsentry dropped, head commit per repository recorded. */
export function replaceCommits(state: State, release: Release, list: ReadonlyArray<CommitInput>): void {
  const org = state.orgById(release.orgId)
  const kept = [...list].sort((a, b) => time(b) - time(a)).filter(c => !(c.message ?? '').includes('#skipsentry'))
  release.commits = kept.map((c): Commit => ({
    key: c.id,
    repoId: state.repoForCommits(org, c.repository || `organization-${org.id}`).id,
    message: c.message ?? null,
    author: authorOf(c),
    dateCreated: c.timestamp ?? new Date().toISOString()
  }))
  for (const commit of [...release.commits].reverse()) release.headCommits.set(commit.repoId, commit.key)
}

export function clearCommits(release: Release): void {
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

/** Records each ref as the repository's head commit; unknown repository names raise before anything changes. */
export function setHeadCommits(state: State, release: Release, refs: RefInput[]): RefInput[] {
  const org = state.orgById(release.orgId)
  const names = [...new Set(refs.map(r => r.repository))]
  const invalid = names.filter(name => !org.repos.some(r => r.name === name))
  if (invalid.length > 0) throw new InvalidRepository(`Invalid repository names: ${invalid.join(',')}`)
  const split = refs.map(splitRange)
  for (const ref of split) release.headCommits.set(state.repoForCommits(org, ref.repository).id, ref.commit)
  return split
}

/** get_previous_release: the newest other release sharing a project, by COALESCE(date_released, date_added). */
export function previousRelease(state: State, release: Release): Release | undefined {
  return state.releases
    .filter(r => r.orgId === release.orgId && r.version !== release.version && r.projectIds.some(id => release.projectIds.includes(id)))
    .sort((a, b) => releaseDate(b).localeCompare(releaseDate(a)))[0]
}
