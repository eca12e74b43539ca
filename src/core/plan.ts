import { planDeploy, type PlannedDeploy } from './deploy-plan.js'
import { deployIntent, type DeployIntent } from './deployment-event.js'
import { type CommitData, commitDataWarnings } from './commit-data.js'
import { InputError } from './errors.js'
import type { ReleaseTarget, GitHubContext } from './context.js'
import { eventTime } from './event-time.js'
import { withoutUndefined } from './payload.js'
import type { PlannedWrite } from './requests.js'
import type { CommitRange } from './commit-range.js'
import type { Settings } from './settings.js'
import { hiddenOrgHint } from './sentry-errors.js'
import { characters, githubPage, MAX_URL_LENGTH, releasePageUrl, releasePath, releasesPath } from './url.js'
import { versionProblem } from './version.js'

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
  /**
   * Which request goes first. 'create': POST …/releases/ with every field (projects and create are known): one request
   * for a new tag and for a rerun, and the only request that adds projects to an existing release. 'update': PUT, with
   * `create` after a 404 (no projects, or create: false).
   */
  order: 'create' | 'update'
  /** PUT …/releases/{version}/ with every field. */
  update: PlannedWrite
  /** POST …/releases/ with version, projects and every field; or why the release cannot be created (then 404 fails). */
  create: PlannedWrite | InputError
  /**
   * Sentry's create applies ref, url and dateReleased only to a new release (208 and project-adding 201 leave them):
   * these are the planned values, sent in a PUT when the release Sentry returns differs (docs/sentry-api.md section 5).
   */
  fields: Record<string, unknown>
  /** After an update (order 'update', create: false): POST {version, projects} when the release lacks one of them. */
  addProjects?: PlannedWrite
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
  const defaultUrl = settings.releaseUrl || !githubRepositoryUrl ? undefined : defaultReleaseUrl(githubRepositoryUrl, tag, range.head)
  const fields = withoutUndefined({
    ref: settings.ref ?? range.head,
    url: settings.releaseUrl ?? defaultUrl?.url,
    dateReleased: settings.finalize ? (settings.dateReleased ?? eventAt ?? now.toISOString()) : undefined
  })
  const commitFields = {
    refs: commitSource === 'refs' ? [{ repository: settings.repository, commit: range.head, previousCommit: range.previous }] : undefined,
    // An empty list would change nothing in Sentry; leaving it out keeps the body honest.
    commits: commits?.commits.length ? commits.commits : undefined
  }
  const body = withoutUndefined({ ...fields, ...commitFields })
  const create = createPlan(settings, version, body)
  const deployPlan = planDeploy(settings, deploy, version, eventAt)
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
    order: create instanceof InputError ? 'update' : 'create',
    update: { method: 'PUT', path: releasePath(settings.org, version), body },
    create,
    fields,
    addProjects:
      create instanceof InputError && settings.projects.length > 0
        ? { method: 'POST', path: releasesPath(settings.org), body: { version, projects: settings.projects } }
        : undefined,
    deploy: deployPlan,
    notices: [
      ...(commitSource === 'refs' && !range.previous ? [firstReleaseNotice(range)] : []),
      ...(commitSource === 'local' && !range.previous ? [firstLocalReleaseNotice(range, settings.initialDepth)] : []),
      ...(emptyNotice ? [emptyNotice] : []),
      ...(defaultUrl?.notice ? [defaultUrl.notice] : []),
      ...(deployPlan?.notice ? [deployPlan.notice] : []),
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
    // The user set no name: the tag gave it (quoted as JSON: it may hold control characters), and 'release' is the way out.
    throw new Error(`Tag ${JSON.stringify(target.tag)} cannot name a Sentry release (${problem}): set 'release' to a name Sentry accepts`)
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

/**
 * The GitHub page of the tag (else of the commit), within Sentry's URL length: a long tag or repository name falls back
 * to the commit's page, then the repository's, then none, with a notice saying so.
 */
function defaultReleaseUrl(githubRepositoryUrl: string, tag: string | undefined, head: string): { url?: string; notice?: string } {
  const pages = [
    ...(tag === undefined ? [] : [githubPage(githubRepositoryUrl, 'releases', 'tag', tag)]),
    githubPage(githubRepositoryUrl, 'commit', head),
    githubRepositoryUrl
  ]
  const url = pages.find(page => characters(page) <= MAX_URL_LENGTH)
  if (url === pages[0]) return { url }
  const which = url === undefined ? 'no link is sent' : `the release links to ${url} instead`
  return {
    url,
    notice:
      `The GitHub page ${pages[0]} has more than ${MAX_URL_LENGTH} characters, Sentry's limit for a release's url: ` +
      `${which} (set release_url to choose).`
  }
}

/** POST …/releases/ with every field, when the release may be created (create: true and projects known). */
function createPlan(settings: Settings, version: string, body: Record<string, unknown>): PlannedWrite | InputError {
  const missing = `Sentry has no release ${JSON.stringify(version)} in org '${settings.org}' (or ${hiddenOrgHint(settings.org)})`
  if (!settings.create) return new InputError('create', `${missing}; set it to true (with 'projects') to create the release`)
  if (settings.projects.length === 0) {
    return new InputError('projects', `${missing}; set 'projects' (or SENTRY_PROJECT) so the action can create it`)
  }
  return { method: 'POST', path: releasesPath(settings.org), body: { version, projects: settings.projects, ...body } }
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
  if (localTotal === undefined) {
    // Refs: Sentry records head as the head commit, and its fetch of an empty range changes nothing (docs/sentry-api.md 10).
    return (
      `The commit range ${span} has no commits (ignore_empty): Sentry fetches none, so the release keeps the commits it ` +
      `already lists (none for a new release); Sentry holds deploy e-mails of a release with a head commit but no commits.`
    )
  }
  return `The commit range ${span} has no commits${touching} (ignore_empty): the release is updated without commits.`
}

function firstReleaseNotice(range: CommitRange): string {
  return `No previous commit (${firstReleaseReason(range)}): Sentry will choose where the commit range starts.`
}

function firstReleaseReason(range: CommitRange): string {
  return range.tagPattern ? `no earlier tag matching '${range.tagPattern}' precedes this release` : 'no previous_commit given'
}
