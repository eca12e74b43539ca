import { isRecord } from './payload.js'

/** A release as Sentry serializes it (docs/sentry-api.md section 3). */
export type SentryRelease = Record<string, unknown>

/** A deploy as Sentry serializes it: {id, environment, dateStarted, dateFinished, name, url} (section 7). */
export type SentryDeploy = Record<string, unknown>

/**
 * A 2xx answer that is not what Sentry's API sends: an SSO or login page, a single-page app's catch-all, a proxy's
 * placeholder behind a misrouted /api/0/. Nothing was released; the base URL is the likely cause.
 */
export class NotSentryError extends Error {
  constructor(sentryUrl: string, expected: string, body: unknown) {
    super(
      `The server at ${origin(sentryUrl)} answered with ${described(body)} where Sentry's API sends ${expected}: ` +
        `check 'sentry_url' (Sentry's base URL, without /api/0/, e.g. https://sentry.io)`
    )
    this.name = 'NotSentryError'
  }
}

/** The release Sentry returned, checked: an object naming the planned version, with numeric counts. */
export function releaseAnswer(body: unknown, version: string, sentryUrl: string): SentryRelease {
  const expected = `the release ${JSON.stringify(version)}`
  if (!isRecord(body) || body.version !== version || !isCount(body.commitCount) || !isCount(body.deployCount)) {
    throw new NotSentryError(sentryUrl, expected, body)
  }
  return body
}

/** The deploy Sentry recorded, checked: an object with an id and the environment. */
export function deployAnswer(body: unknown, sentryUrl: string): SentryDeploy {
  const id = isRecord(body) ? body.id : undefined
  if (!isRecord(body) || !(typeof id === 'string' || typeof id === 'number') || typeof body.environment !== 'string') {
    throw new NotSentryError(sentryUrl, 'a deploy (an object with an id and an environment)', body)
  }
  return body
}

/** A list Sentry returned (deploys, repositories), checked: an array of objects. */
export function listAnswer(body: unknown, what: string, sentryUrl: string): Array<Record<string, unknown>> {
  if (!Array.isArray(body) || !body.every(isRecord)) throw new NotSentryError(sentryUrl, `a list of ${what}`, body)
  return body
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

/** What came instead, in words: never the body itself (it may be a page of any size or content). */
function described(body: unknown): string {
  if (body === undefined) return 'no JSON (an empty body or an HTML page)'
  if (body === null) return 'JSON null'
  if (typeof body === 'string') return 'text that is not JSON'
  if (Array.isArray(body)) return 'a JSON array'
  if (typeof body !== 'object') return `a JSON ${typeof body}`
  return Object.keys(body).length === 0 ? 'an empty JSON object' : 'a JSON object of another shape'
}

function origin(sentryUrl: string): string {
  try {
    return new URL(sentryUrl).origin
  } catch {
    return 'sentry_url'
  }
}

/** The id of the newest commit Sentry lists for the release, when it reports one. */
export function lastCommitId(release: Record<string, unknown>): unknown {
  return isRecord(release.lastCommit) ? release.lastCommit.id : undefined
}
