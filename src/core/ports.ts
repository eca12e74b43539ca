// The ports the steps work through: git and Sentry, each an interface the io layer implements (src/io/git.ts,
// src/io/sentry-client.ts) and tests replace with fakes.
import type { GitCommit, LogQuery } from './commit-log.js'
import type { PlannedRequest } from './requests.js'

/** Every git question the action asks, one method each; tests can swap in a fake. */
export interface Git {
  /** The commit a revision points to (annotated tags peeled), or undefined when there is none. */
  commitOf(revision: string): Promise<string | undefined>
  /** The most recently committed tag matching the glob among the commit and its ancestors, or undefined. */
  nearestTag(commit: string, pattern: string): Promise<string | undefined>
  /** Whether the checkout is shallow, so history and tags may be missing. */
  isShallow(): Promise<boolean>
  /** Whether `ancestor` is reachable from `descendant` in the local history. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>
  /** How many commits the query selects. */
  countCommits(query: LogQuery): Promise<number>
  /** Streams the query's commits, newest first, to `onCommit` as git writes them. */
  readCommits(query: LogQuery, onCommit: (commit: GitCommit) => void): Promise<void>
  /** Whether a remote of that name is configured. */
  hasRemote(name: string): Promise<boolean>
  /** Local tag names matching the glob (all tags without one). */
  listTags(pattern?: string): Promise<string[]>
  /** The remote's tags matching the glob (`git ls-remote`, no fetch), each with the object it peels to. */
  remoteTags(remote: string, pattern: string): Promise<Map<string, string>>
  /** Which of these object ids are commits present in the local object store. */
  presentCommits(ids: string[]): Promise<Set<string>>
  /** Fetches exactly these tags from the remote, replacing local ones of the same name; no other refs or history. */
  fetchTags(remote: string, tags: string[]): Promise<void>
  /** `git fetch --deepen=<commits>` of one commit's history only (not every branch of the remote). */
  deepen(remote: string, commit: string, commits: number): Promise<void>
  /** Fetches one commit by its SHA, with `depth` commits of history (all of its missing history without). */
  fetchCommit(remote: string, commit: string, depth?: number): Promise<void>
}

/**
 * Sends one planned request; resolves with Sentry's parsed body on 2xx (a release, a deploy or a list of deploys:
 * the caller narrows it), else throws SentryError (404 included).
 *
 * `ifMaybeApplied` marks a request that must not be applied twice (a deploy POST: Sentry's create is not
 * idempotent). After a failure Sentry may have applied (see mayHaveApplied) the client waits request_timeout
 * on top of the backoff, inside the same retry budget, so a request still running there has ended, then calls
 * it with the failure ("answered 502") before sending again: a value it resolves with is the answer, undefined
 * means send again.
 */
export type SendRequest = (request: PlannedRequest, ifMaybeApplied?: (failure: string) => Promise<unknown>) => Promise<unknown>
