import { planDeploy, type PlannedDeploy } from './deploy-plan.js'
import { deployIntent, type DeployIntent } from './deployment-event.js'
import { type CommitData, commitDataWarnings } from './commit-data.js'
import { InputError } from './errors.js'
import type { GitHubContext, ReleaseTarget } from './event.js'
import { eventTime } from './event-time.js'
import { withoutUndefined } from './payload.js'
import type { CommitRange } from './range.js'
import type { Settings } from './settings.js'
import { hiddenOrgHint } from './sentry-errors.js'
import { githubPage, releasePageUrl, releasePath, releasesPath } from './url.js'
import { versionProblem } from './version.js'

/** One call to Sentry's API with a JSON body; `path` is relative to /api/0/ and already percent-encoded. */
export interface PlannedWrite {
  method: 'PUT' | 'POST'
  path: string
  body: Record<string, unknown>
}

/** One read from Sentry's API, without a body. */
export interface PlannedRead {
  method: 'GET'
  path: string
  body?: undefined
}

export type PlannedRequest = PlannedWrite | PlannedRead

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
  /** Where Sentry's commits come from: refs (Sentry fetches them), local commit data from git, or none (skip). */
  commitSource: 'refs' | 'local' | 'none'
  /** The local commit data sent; only with commitSource local. */
  commitData?: CommitData
  /** Globs the local commits were chosen by; empty: every commit in the range. */
  paths: string[]
  /** auto mode: when Sentry does not know the repository, send local commit data instead of refs. */
  fallbackToLocal: boolean
  /** The update that does the work. */
  update: PlannedWrite
  /** When Sentry answers 404 to the update: create the release, or fail with this error. */
  ifMissing: PlannedWrite | InputError
  /** The deploy to record once the release is updated. */
  deploy?: PlannedDeploy
  notices: string[]
  warnings: string[]
}

export interface PlanInputs {
  settings: Settings
  context: GitHubContext
  target: ReleaseTarget
  range: CommitRange
  now: Date
  /** Commits read from git (set_commits: local, or auto with paths, or auto falling back): sent instead of refs. */
  commits?: CommitData
  /** What the event asks besides the release; default: read from the context. */
  deploy?: DeployIntent
}

/** Pure: inputs, event and git facts -> the requests that make Sentry's release match git. */
export function buildPlan({ settings, context, target, range, now, commits, deploy = deployIntent(context) }: PlanInputs): Plan {
  const version = releaseVersion(settings, target, range.head)
  const tag = target.kind === 'tag' ? target.tag : undefined
  const sendsRefs = settings.setCommits !== 'skip'
  const commitSource = !sendsRefs ? 'none' : commits ? 'local' : 'refs'
  const emptyNotice = emptyRangeNoticeOrThrow(settings, range, commitSource === 'local' ? commits?.total : undefined)
  const eventAt = eventTime(context)
  const githubRepositoryUrl = context.repository ? `${context.serverUrl}/${context.repository}` : undefined
  const fields = {
    ref: settings.ref ?? range.head,
    url: settings.releaseUrl ?? (githubRepositoryUrl && defaultReleaseUrl(githubRepositoryUrl, tag, range.head)),
    refs: commitSource === 'refs' ? [{ repository: settings.repository, commit: range.head, previousCommit: range.previous }] : undefined,
    // An empty list would change nothing in Sentry; leaving it out keeps the body honest.
    commits: commits?.commits.length ? commits.commits : undefined,
    dateReleased: settings.finalize ? (settings.dateReleased ?? eventAt ?? now.toISOString()) : undefined
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
    commitSource,
    commitData: commitSource === 'local' ? commits : undefined,
    paths: commitSource === 'local' ? settings.paths : [],
    fallbackToLocal: settings.setCommits === 'auto' && commitSource === 'refs',
    update: { method: 'PUT', path: releasePath(settings.org, version), body: withoutUndefined(fields) },
    ifMissing: missingReleasePlan(settings, version, fields),
    deploy: planDeploy(settings, deploy, version, eventAt),
    notices: [
      ...(commitSource === 'refs' && !range.previous ? [firstReleaseNotice(range)] : []),
      ...(commitSource === 'local' && !range.previous ? [firstLocalReleaseNotice(range, settings.initialDepth)] : []),
      ...(emptyNotice ? [emptyNotice] : []),
      ...(deploy.kind === 'release-only' ? [deploy.notice] : [])
    ],
    warnings: [
      ...doublePrefixWarning(settings, version),
      ...(range.missing ? [`Cannot find the start of the commit range: ${range.missing}.`] : []),
      ...(commitSource === 'local' && commits ? commitDataWarnings(commits, settings.maxCommits) : [])
    ]
  }
}

/**
 * prefix + (`release` as given, else the tag or head commit), as getsentry/action-release names it; fails before any
 * request if Sentry would reject it, naming the input the user set, or the tag the name came from.
 */
export function releaseVersion(settings: Settings, target: ReleaseTarget, head: string): string {
  const name = settings.release ?? (target.kind === 'tag' ? target.tag : head)
  const version = settings.releasePrefix + name
  const problem = versionProblem(version)
  if (!problem) return version
  // A name that is fine without the prefix was broken by the prefix: point there.
  const quoted = JSON.stringify(version)
  if (settings.releasePrefix && !versionProblem(name)) throw new InputError(settings.releasePrefixInput, `${problem}: ${quoted}`)
  if (settings.release === undefined && target.kind === 'tag') {
    // The user set no name: the tag gave it, and 'release' is the way to give another.
    throw new Error(`Tag '${target.tag}' cannot name the Sentry release: ${problem} (${quoted}); set 'release' to the name to use`)
  }
  throw new InputError(settings.releaseInput, `${problem}: ${quoted}`)
}

/** A name that already carries the prefix (release_prefix web@, tag web@1.1.0) gets it twice: web@web@1.1.0. */
function doublePrefixWarning(settings: Settings, version: string): string[] {
  const { releasePrefix: prefix, releasePrefixInput: input } = settings
  if (!prefix || !version.startsWith(prefix + prefix)) return []
  return [
    `The release name ${JSON.stringify(version)} starts with ${input} ${JSON.stringify(prefix)} twice: the tag or release already ` +
      `carries it. Leave ${input} out, or set it to what the name lacks.`
  ]
}

function defaultReleaseUrl(githubRepositoryUrl: string, tag: string | undefined, head: string): string {
  return tag === undefined
    ? githubPage(githubRepositoryUrl, 'commit', head)
    : githubPage(githubRepositoryUrl, 'releases', 'tag', tag)
}

function missingReleasePlan(settings: Settings, version: string, fields: Record<string, unknown>): PlannedWrite | InputError {
  const missing = `Sentry has no release ${JSON.stringify(version)} in org '${settings.org}' (or ${hiddenOrgHint(settings.org)})`
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

function firstLocalReleaseNotice(range: CommitRange, initialDepth: number): string {
  return `No previous commit (${firstReleaseReason(range)}): sending up to ${initialDepth} commits from git (initial_depth).`
}

/**
 * A release with no commits is a mistake unless ignore_empty says otherwise: throws an InputError naming it, else
 * returns the notice. The range is empty when it starts at head, or when local commit data (e.g. filtered by paths)
 * found none; undefined when it is not empty.
 */
function emptyRangeNoticeOrThrow(settings: Settings, range: CommitRange, localTotal: number | undefined): string | undefined {
  if (settings.setCommits === 'skip' || (range.previous !== range.head && localTotal !== 0)) return undefined
  const touching = settings.paths.length > 0 && localTotal === 0 ? ` touching ${settings.paths.join(', ')}` : ''
  const span = `${range.previous ? `${range.previous.slice(0, 12)}..` : ''}${range.head.slice(0, 12)}`
  if (!settings.ignoreEmpty) {
    throw new InputError('ignore_empty', `the commit range ${span} has no commits${touching}; set ignore_empty: true to release it anyway`)
  }
  return `The commit range ${span} has no commits${touching} (ignore_empty): the release is updated without commits.`
}

function firstReleaseNotice(range: CommitRange): string {
  return `No previous commit (${firstReleaseReason(range)}): Sentry will choose where the commit range starts.`
}

function firstReleaseReason(range: CommitRange): string {
  return range.tagPattern ? `no earlier tag matching '${range.tagPattern}' precedes this release` : 'no previous_commit given'
}
