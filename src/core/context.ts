// What a run is about: the runner's context and the release target derived from it.

/** The runner's description of the run, as @actions/github's context gives it (see github-context.ts). */
export interface GitHubContext {
  eventName: string
  /** The parsed GITHUB_EVENT_PATH file; {} when there is none. */
  payload: Record<string, unknown>
  /** GITHUB_REF, e.g. refs/tags/v1.2.0. */
  ref: string
  /** GITHUB_SHA: the commit the run is for ('' outside a runner). */
  sha: string
  /** owner/name ('' outside a runner). */
  repository: string
  /** GITHUB_SERVER_URL without trailing slash, for links to commits and tags (a GitHub Enterprise Server's own). */
  serverUrl: string
  /** GITHUB_API_URL without trailing slash. */
  apiUrl: string
}

/** What the run releases. `sha` is the event's commit; for tags it is only a hint, the tag is peeled in git. */
export type ReleaseTarget = { kind: 'tag'; tag: string; sha: string } | { kind: 'commit'; sha: string }

/** What the checkout says about names in the payload, read by fetchEventGitFacts so releaseTarget stays pure. */
export interface EventGitFacts {
  /** workflow_run: the commit of the tag named by head_branch, when the checkout has such a tag. */
  headBranchTagCommit?: string
}
