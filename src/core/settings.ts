import * as path from 'node:path'
import { InputError, looksLikeToken } from './errors.js'
import { orgTokenSecret, readOrgToken } from './org-token.js'
import { tagOfRef } from './payload.js'
import { checkStorableUrl, sentryBaseUrl } from './url.js'

/** How the commit range of the release is found. */
export type SetCommitsMode = 'auto' | 'local' | 'manual' | 'skip'
const SET_COMMITS_MODES: readonly SetCommitsMode[] = ['auto', 'local', 'manual', 'skip']

/** Every input, validated once; the rest of the action never reads inputs or SENTRY_* variables. */
export interface Settings {
  /** Bearer token, already masked; undefined only in a dry run. */
  authToken?: string
  /** Sentry organization slug. */
  org: string
  /** Sentry base URL without trailing slash; may carry a self-hosted sub-path. */
  sentryUrl: string
  /** Explicit release name, `refs/tags/` stripped; undefined: derived from the event. */
  release?: string
  /** Prepended to the release name, explicit or derived. */
  releasePrefix: string
  /** The input the user set the release name with (for errors): 'release', or its alias 'version'. */
  releaseInput: 'release' | 'version'
  /** The input the user set the prefix with (for errors): 'release_prefix', or its alias 'version_prefix'. */
  releasePrefixInput: 'release_prefix' | 'version_prefix'
  /** Project slugs, used only to create a missing release. */
  projects: string[]
  /** Create the release when Sentry does not have it. */
  create: boolean
  setCommits: SetCommitsMode
  /** The repository's name in Sentry; empty only with set_commits: skip. */
  repository: string
  /** Head commit override: any revision in auto mode, a SHA otherwise. */
  commit?: string
  /** Start of the range override, same forms as `commit`. */
  previousCommit?: string
  /** Glob for tags that count as earlier releases; undefined: derived from the current tag. */
  tagPattern?: string
  /** Globs: only commits touching them are sent, as local commit data; empty: every commit. */
  paths: string[]
  /** Commits a first release (no previous commit) lists from git. */
  initialDepth: number
  /** Cap of the commits sent as local commit data (the newest are kept). */
  maxCommits: number
  /** A start of the range missing even after fetching is a warning instead of a failure. */
  ignoreMissing: boolean
  /** A range without commits is a notice instead of a failure. */
  ignoreEmpty: boolean
  /** After a refs update, how long to wait for Sentry to list the commits; 0: do not wait. */
  waitForCommitsMs: number
  /** The release's `ref`; undefined: the head commit SHA. */
  ref?: string
  /** The release's `url`; undefined: the GitHub page of the tag or commit. */
  releaseUrl?: string
  /** Send dateReleased. */
  finalize: boolean
  /** ISO 8601 dateReleased; undefined: the time of the triggering event, else of the run. */
  dateReleased?: string
  /** Environment of the deploy to record; undefined: the deployment's environment, else no deploy. */
  environment?: string
  /** The deploy's name; undefined: none. */
  deployName?: string
  /** The deploy's url; undefined: the deployment status's environment_url or target_url. */
  deployUrl?: string
  /** ISO 8601 dateStarted of the deploy; undefined: the deployment's creation, else the triggering event's time. */
  startedAt?: string
  /** Absolute directory where git runs. */
  workingDirectory: string
  /** Plan, print and set outputs; send nothing. */
  dryRun: boolean
  requestTimeoutMs: number
}

/** Reads one input by name; '' when unset (the runner passes inputs as INPUT_<NAME>). */
export type InputReader = (name: string) => string

/** Where a deprecated input is named: the io layer turns it into a warning annotation. */
export type Warn = (message: string, title: string) => void

/** The token requests go out with; undefined in a dry run (the token is optional there), which prints the plan instead. */
export function sendingToken(settings: Settings): string | undefined {
  return settings.dryRun ? undefined : settings.authToken
}

/** The token from the inputs or the environment, for masking before anything else is read. */
export function authTokenOf(env: Record<string, string | undefined>, input: InputReader): string | undefined {
  return firstValue(input('auth_token'), env.SENTRY_AUTH_TOKEN)
}

/** Inputs + environment + org-token claims -> Settings. The caller masks authTokenOf first (io/inputs.ts). */
export function parseSettings(env: Record<string, string | undefined>, input: InputReader, warn: Warn): Settings {
  const authToken = authTokenOf(env, input)
  const dryRun = readBoolean(input, 'dry_run', false)
  if (!authToken && !dryRun) throw new InputError('auth_token', 'is required (or set the SENTRY_AUTH_TOKEN environment variable)')
  const claims = authToken ? readOrgToken(authToken) : {}
  if (authToken) checkTokenShape(authToken, claims.org)

  const org = firstValue(input('org'), env.SENTRY_ORG, claims.org)
  if (!org) throw new InputError('org', 'is required (or set SENTRY_ORG, or use an org auth token)')
  checkOrg(org)
  const setCommits = readSetCommits(input)
  const repository = singleLine('repo', firstValue(input('repo'), env.GITHUB_REPOSITORY) ?? '')
  if (!repository && setCommits !== 'skip') throw new InputError('repo', 'is required when GITHUB_REPOSITORY is not set')
  const releaseUrl = firstValue(input('release_url'))
  const deployUrl = firstValue(input('deploy_url'))
  const release = readAliased(input, 'release', 'version', warn)
  const releasePrefix = readAliased(input, 'release_prefix', 'version_prefix', warn)

  return {
    authToken,
    org,
    sentryUrl: sentryBaseUrl(
      firstValue(input('sentry_url'), env.SENTRY_URL, claims.url) ?? 'https://sentry.io',
      'sentry_url',
      readBoolean(input, 'allow_insecure_http', false)
    ),
    // As getsentry/action-release: `${{ github.ref }}` names the tag.
    release: release.value && (tagOfRef(release.value) ?? release.value),
    releasePrefix: releasePrefix.value ?? '',
    releaseInput: release.name,
    releasePrefixInput: releasePrefix.name,
    projects: splitList('projects', firstValue(input('projects'), env.SENTRY_PROJECT) ?? ''),
    create: readBoolean(input, 'create', true),
    setCommits,
    repository,
    commit: readRevision(input, 'commit'),
    previousCommit: readRevision(input, 'previous_commit'),
    tagPattern: singleLine('tag_pattern', firstValue(input('tag_pattern'))),
    paths: splitList('paths', input('paths')),
    initialDepth: readCount(input, 'initial_depth', 20, MAX_COMMITS),
    maxCommits: readCount(input, 'max_commits', 1000, MAX_COMMITS),
    ignoreMissing: readBoolean(input, 'ignore_missing', false),
    ignoreEmpty: readBoolean(input, 'ignore_empty', false),
    waitForCommitsMs: readSeconds(input, 'wait_for_commits', 0, { allowZero: true, max: MAX_WAIT_SECONDS }) * 1000,
    ref: singleLine('ref', firstValue(input('ref'))),
    releaseUrl: releaseUrl && checkStorableUrl(releaseUrl, 'release_url'),
    finalize: readBoolean(input, 'finalize', true),
    dateReleased: readDate(input, 'date_released'),
    environment: singleLine('environment', firstValue(input('environment'))),
    deployName: singleLine('deploy_name', firstValue(input('deploy_name'))),
    deployUrl: deployUrl && checkStorableUrl(deployUrl, 'deploy_url'),
    startedAt: readDate(input, 'started_at'),
    // path.resolve starts from the working directory when GITHUB_WORKSPACE is unset or empty.
    workingDirectory: path.resolve(env.GITHUB_WORKSPACE ?? '', input('working_directory')),
    dryRun,
    requestTimeoutMs: readSeconds(input, 'request_timeout', 30, { allowZero: false, max: MAX_REQUEST_TIMEOUT_SECONDS }) * 1000
  }
}

/** Catches a token pasted with other text, or a truncated org token, before it is sent anywhere. The token is never quoted. */
function checkTokenShape(token: string, org: string | undefined): void {
  // Node refuses such a header anyway, and no retry or sentry_url would help: say what is wrong with the token.
  if (/[^\x21-\x7e]/.test(token)) {
    throw new InputError(
      'auth_token',
      'contains spaces, control characters or non-ASCII characters (such as smart quotes): paste the token alone, as plain text on one line'
    )
  }
  if (token.startsWith('sntrys_') && (org === undefined || orgTokenSecret(token) === undefined)) {
    throw new InputError('auth_token', 'starts with sntrys_ but is not a whole org auth token (sntrys_<payload>_<secret>): copy it again')
  }
}

// Upper bounds of numeric inputs: far beyond any real use, and each a value node's timers and git can take.
const MAX_COMMITS = 100_000
const MAX_WAIT_SECONDS = 3600
const MAX_REQUEST_TIMEOUT_SECONDS = 600

// Control characters (C0, DEL, C1): a newline in a name would start a new log line (maybe a workflow command) and
// Sentry's database cannot store a NUL.
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f-\x9f]/

/** The value of a name-like input, refused when it holds a control character (the value is not quoted). */
export function singleLine<T extends string | undefined>(input: string, value: T): T {
  if (value !== undefined && CONTROL_CHARACTERS.test(value)) {
    throw new InputError(input, 'contains a control character (a newline, a tab, a NUL…): give one name on one line')
  }
  return value
}

// An org slug (letters, digits, '-', '_'; Sentry's SentrySlugField, lower case) or the org's numeric id.
const ORG = /^[A-Za-z0-9_-]{1,64}$/

function checkOrg(org: string): void {
  if (!ORG.test(org)) {
    throw new InputError('org', "must be the org's slug as in Sentry's URLs (letters, digits, '-' and '_'), e.g. acme-inc")
  }
}

/** A revision for git; one starting with '-' would read as an option, so it is refused outright. */
function readRevision(input: InputReader, name: string): string | undefined {
  const value = singleLine(name, firstValue(input(name)))
  if (value?.startsWith('-')) throw new InputError(name, `'${quotable(value)}' looks like a git option; give a commit SHA, tag or branch`)
  return value
}

function firstValue(...values: Array<string | undefined>): string | undefined {
  return values.map(value => value?.trim()).find(value => value)
}

/** The new input, else its deprecated alias (with a warning), and the name of the one that gave the value. */
function readAliased<Name extends string, Deprecated extends string>(
  input: InputReader,
  name: Name,
  deprecated: Deprecated,
  warn: Warn
): { value?: string; name: Name | Deprecated } {
  const value = firstValue(input(name))
  const old = firstValue(input(deprecated))
  if (old !== undefined) warn(`Input '${deprecated}' is deprecated: use '${name}'.`, 'Deprecated input')
  return value === undefined && old !== undefined ? { value: old, name: deprecated } : { value, name }
}

/** Items separated by spaces, commas or newlines; an item with another control character is refused. */
export function splitList(input: string, value: string): string[] {
  return value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(item => singleLine(input, item))
}

// YAML 1.2 core-schema booleans, as the runner documents them.
const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']

export function readBoolean(input: InputReader, name: string, fallback: boolean): boolean {
  const value = input(name).trim()
  if (value === '') return fallback
  if (TRUE_VALUES.includes(value)) return true
  if (FALSE_VALUES.includes(value)) return false
  throw new InputError(name, `'${quotable(value)}' must be true or false`)
}

function readSetCommits(input: InputReader): SetCommitsMode {
  const value = input('set_commits').trim().toLowerCase() || 'auto'
  const mode = SET_COMMITS_MODES.find(known => known === value)
  if (!mode) throw new InputError('set_commits', `'${quotable(value)}' must be one of ${SET_COMMITS_MODES.join(', ')}`)
  return mode
}

// Unix seconds up to the end of year 9999, as Sentry's dates go.
const MAX_UNIX_SECONDS = 253_402_300_799

/** ISO 8601 or unix seconds -> ISO 8601 in UTC; a day the calendar lacks (2024-02-30) is refused, not moved. */
function readDate(input: InputReader, name: string): string | undefined {
  const value = input(name).trim()
  if (value === '') return undefined
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined
  const time = seconds === undefined ? isoDateMs(value) : seconds <= MAX_UNIX_SECONDS ? seconds * 1000 : NaN
  const date = new Date(time)
  if (Number.isNaN(date.getTime())) throw new InputError(name, `'${quotable(value)}' must be an ISO 8601 date or unix seconds`)
  return date.toISOString()
}

/**
 * ISO 8601 -> milliseconds since the epoch, NaN when it is not a date. A time without a zone is UTC, as Sentry
 * reads it (docs/sentry-api.md section 1), not the runner's zone as Date.parse would have it.
 */
function isoDateMs(value: string): number {
  const [, date, year, month, day, time] = /^((\d{4})-(\d{2})-(\d{2}))(?:[T ](.*))?$/i.exec(value) ?? []
  if (!date) return NaN
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
  if (calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day)) return NaN
  return Date.parse(time && /^[\d:.]+$/.test(time) ? `${date}T${time}Z` : value)
}

/** An input's value as an error may quote it: one line, at most 100 characters. */
function quotable(value: string): string {
  if (looksLikeToken(value)) return '(a value that looks like a token, not shown)'
  const line = value.replace(new RegExp(CONTROL_CHARACTERS.source, 'g'), '?')
  return line.length > 100 ? `${line.slice(0, 100)}…` : line
}

/** A whole number from 1 to `max`. */
function readCount(input: InputReader, name: string, fallback: number, max: number): number {
  const value = input(name).trim()
  if (value === '') return fallback
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new InputError(name, `'${quotable(value)}' must be a whole number from 1 to ${max}`)
  }
  return Number(value)
}

/** Seconds, a fraction allowed, up to `max`; 0 only where it means "off". */
function readSeconds(input: InputReader, name: string, fallback: number, { allowZero, max }: { allowZero: boolean; max: number }): number {
  const value = input(name).trim()
  if (value === '') return fallback
  const seconds = Number(value)
  if (Number.isFinite(seconds) && (seconds > 0 || (allowZero && seconds === 0)) && seconds <= max) return seconds
  const range = allowZero ? `from 0 to ${max}` : `above 0 and at most ${max}`
  throw new InputError(name, `'${quotable(value)}' must be a number of seconds ${range}`)
}
