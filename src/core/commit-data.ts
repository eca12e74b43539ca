import type { GitCommit } from './commit-log.js'
import type { Settings } from './settings.js'
import { characters } from './url.js'

/** A commit as Sentry's `commits` field takes it (docs/sentry-api.md section 1). */
export interface SentryCommit {
  id: string
  repository: string
  message: string
  author_name: string
  author_email?: string
  timestamp: string
  patch_set: Array<{ path: string; type: 'A' | 'M' | 'D' }>
}

/** The commits the action sends itself (set_commits: local, or auto falling back to it). */
export interface CommitData {
  /** Newest first, at most max_commits. */
  commits: SentryCommit[]
  /** Commits in the range (touching `paths` when set), before the cap. */
  total: number
  /** File paths left out because Sentry stores at most PATH_MAX characters. */
  droppedPaths: number
}

// Sentry's CommitSerializer and CommitFileChange limits (docs/sentry-api.md section 1).
export const LIMITS = { repository: 64, authorName: 128, authorEmail: 200, path: 510 }

// git's status letters under --no-renames: A, M, D and T (type change, e.g. file <-> symlink: a modification for Sentry).
const PATCH_TYPES: Record<string, 'A' | 'M' | 'D'> = { A: 'A', M: 'M', D: 'D', T: 'M' }

/** git's view of a commit -> Sentry's, within Sentry's field limits; counts the paths too long to send. */
export function sentryCommit(commit: GitCommit, repository: string): { commit: SentryCommit; droppedPaths: number } {
  const patchSet = commit.files.flatMap(({ status, path }) => {
    const type = PATCH_TYPES[status[0]]
    return type ? [{ path, type }] : []
  })
  const fitting = patchSet.filter(change => characters(change.path) <= LIMITS.path)
  const email = characters(commit.authorEmail) <= LIMITS.authorEmail ? commit.authorEmail : undefined
  return {
    commit: {
      id: commit.id,
      repository,
      message: commit.message,
      author_name: truncate(commit.authorName, LIMITS.authorName),
      ...(email ? { author_email: email } : {}),
      timestamp: commit.timestamp,
      patch_set: fitting
    },
    droppedPaths: patchSet.length - fitting.length
  }
}

/** Collects converted commits while git streams them. */
export function commitCollector(repository: string, total: number): { add(commit: GitCommit): void; result(): CommitData } {
  const data: CommitData = { commits: [], total, droppedPaths: 0 }
  return {
    add(gitCommit) {
      const { commit, droppedPaths } = sentryCommit(gitCommit, repository)
      data.commits.push(commit)
      data.droppedPaths += droppedPaths
    },
    result: () => data
  }
}

/** set_commits: local, or auto with paths (Sentry's own fetch cannot filter by path): commits are read before the plan. */
export function readsCommitsFirst(settings: Settings): boolean {
  return settings.setCommits === 'local' || (settings.setCommits === 'auto' && settings.paths.length > 0)
}

/** Warnings about what was not sent. */
export function commitDataWarnings(data: CommitData, maxCommits: number): string[] {
  const warnings: string[] = []
  if (data.total > data.commits.length && data.commits.length === maxCommits) {
    warnings.push(`The range has ${data.total} commits; Sentry gets the newest ${maxCommits} (raise max_commits to send more).`)
  }
  if (data.droppedPaths > 0) {
    warnings.push(
      `${data.droppedPaths} file path(s) longer than ${LIMITS.path} characters were left out of the commits' patch_set (Sentry's limit).`
    )
  }
  return warnings
}

/** A short stand-in for the commits list where a person reads the request (dry run, summary). */
export function describeCommits(commits: SentryCommit[]): string {
  if (commits.length === 0) return '0 commits'
  const files = commits.reduce((sum, commit) => sum + commit.patch_set.length, 0)
  const ends = commits.length === 1 ? short(commits[0]) : `${short(commits[0])} … ${short(commits[commits.length - 1])}`
  return `${commits.length} commit(s) from git, newest first: ${ends}; ${files} file change(s)`
}

function short(commit: SentryCommit): string {
  return `${commit.id.slice(0, 12)} ${JSON.stringify(commit.message.split('\n')[0].slice(0, 60))}`
}

function truncate(text: string, max: number): string {
  return characters(text) <= max ? text : Array.from(text).slice(0, max).join('')
}
