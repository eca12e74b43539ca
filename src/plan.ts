import { InputError } from './errors.js'
import type { GitHubContext } from './event.js'
import type { CommitRange, ReleasedTarget } from './range.js'
import type { Settings } from './settings.js'
import { githubPage, releasePageUrl, releasePath, releasesPath } from './url.js'
import { versionProblem } from './version.js'

/** One call to Sentry's API; `path` is relative to /api/0/ and already percent-encoded. */
export interface PlannedRequest {
  method: 'PUT' | 'POST'
  path: string
  body: Record<string, unknown>
}

/** Everything the action will do, decided before any request: dry run prints it, the shell sends it. */
export interface Plan {
  version: string
  org: string
  sentryUrl: string
  /** The release's page in Sentry's UI. */
  releasePage: string
  /** The repository's name in Sentry; undefined when commits are skipped. */
  repository?: string
  /** https://github.com/owner/name of the run, for links; undefined outside a runner. */
  githubRepositoryUrl?: string
  tag?: string
  range: CommitRange
  /** The update that does the work. */
  update: PlannedRequest
  /** When Sentry answers 404 to the update: create the release, or fail with this error. */
  ifMissing: PlannedRequest | InputError
  notices: string[]
  warnings: string[]
}

export interface PlanInputs {
  settings: Settings
  context: GitHubContext
  target: ReleasedTarget
  range: CommitRange
  now: Date
}

/** Pure: inputs, event and git facts -> the requests that make Sentry's release match git. */
export function buildPlan({ settings, context, target, range, now }: PlanInputs): Plan {
  const version = releaseVersion(settings, target, range.head)
  const tag = target.kind === 'tag' ? target.tag : undefined
  const sendsRefs = settings.setCommits !== 'skip'
  const githubRepositoryUrl = context.repository ? `${context.serverUrl}/${context.repository}` : undefined
  const fields = {
    ref: settings.ref ?? range.head,
    url: settings.releaseUrl ?? (githubRepositoryUrl && defaultReleaseUrl(githubRepositoryUrl, tag, range.head)),
    refs: sendsRefs ? [{ repository: settings.repository, commit: range.head, previousCommit: range.previous }] : undefined,
    dateReleased: settings.finalize ? (settings.dateReleased ?? now.toISOString()) : undefined
  }
  return {
    version,
    org: settings.org,
    sentryUrl: settings.sentryUrl,
    releasePage: releasePageUrl(settings.sentryUrl, settings.org, version),
    repository: sendsRefs ? settings.repository : undefined,
    githubRepositoryUrl,
    tag,
    range,
    update: { method: 'PUT', path: releasePath(settings.org, version), body: withoutUndefined(fields) },
    ifMissing: missingReleasePlan(settings, version, fields),
    notices: sendsRefs && !range.previous ? [firstReleaseNotice(range)] : [],
    warnings: range.shallowCheckout
      ? ['The checkout is shallow, so earlier tags may be missing: use actions/checkout with fetch-depth: 0.']
      : []
  }
}

/** `release` as given, else prefix + tag (or head commit); fails before any request if Sentry would reject it. */
export function releaseVersion(settings: Settings, target: ReleasedTarget, head: string): string {
  const version = settings.release ?? settings.releasePrefix + (target.kind === 'tag' ? target.tag : head)
  const problem = versionProblem(version)
  if (problem) throw new InputError('release', `${problem}: ${JSON.stringify(version)}`)
  return version
}

function defaultReleaseUrl(githubRepositoryUrl: string, tag: string | undefined, head: string): string {
  return tag === undefined
    ? githubPage(githubRepositoryUrl, 'commit', head)
    : githubPage(githubRepositoryUrl, 'releases', 'tag', tag)
}

function missingReleasePlan(settings: Settings, version: string, fields: Record<string, unknown>): PlannedRequest | InputError {
  const missing = `Sentry has no release ${JSON.stringify(version)} in org '${settings.org}'`
  if (!settings.create) return new InputError('create', `${missing}; set it to true (with 'projects') to create the release`)
  if (settings.projects.length === 0) {
    return new InputError('projects', `${missing}; set 'projects' (or SENTRY_PROJECT) so the action can create it`)
  }
  return {
    method: 'POST',
    path: releasesPath(settings.org),
    body: withoutUndefined({ version, projects: settings.projects, ...fields })
  }
}

function firstReleaseNotice(range: CommitRange): string {
  const reason = range.tagPattern ? `no earlier tag matching '${range.tagPattern}' precedes this release` : 'no previous_commit given'
  return `No previous commit (${reason}): Sentry will choose where the commit range starts.`
}

/** JSON bodies leave out what is unknown rather than sending null (Sentry never clears a field with null). */
function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(record)) as Record<string, unknown>
}
