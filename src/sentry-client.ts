import * as core from './runner.js'
import packageJson from '../package.json' with { type: 'json' }
import { sendRequest, TimeoutError } from './http-transport.js'
import type { PlannedRequest } from './plan.js'
import { type Attempt, retryAfterMs, type RetryPolicy, withRetries } from './retry.js'
import { isRecord } from './payload.js'
import { errorDetail, SentryError, sentryError } from './sentry-errors.js'
import { apiUrl } from './url.js'

/** A release as Sentry serializes it (contract section 3). */
export type SentryRelease = Record<string, unknown>

/** A 2xx body that should be one object (a release, a deploy); anything else reads as an empty one. */
export function sentryObject(body: unknown): Record<string, unknown> {
  return isRecord(body) ? body : {}
}

export interface SentryClientOptions {
  sentryUrl: string
  authToken: string
  org: string
  timeoutMs: number
  retry: RetryPolicy
}

/**
 * Sends one planned request; resolves with Sentry's parsed body on 2xx (a release, a deploy or a list of deploys:
 * the caller narrows it), else throws SentryError (404 included).
 */
export type SendRequest = (request: PlannedRequest) => Promise<unknown>

interface Answer {
  status: number
  body: unknown
}

// Sentry's 409 while another request sets the release's commits (contract section 1, step 5): it clears by itself.
const COMMIT_LOCK_DETAIL = 'Release commits are currently being processed'

// Certificate problems do not go away on a retry; they need a CA (NODE_EXTRA_CA_CERTS) or another URL.
const CERTIFICATE_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/

/** One planned request at a time over http-transport (proxies, deadline); retries and errors are ours. */
export function createSentryClient(options: SentryClientOptions): SendRequest {
  const headers = {
    Authorization: `Bearer ${options.authToken}`,
    Accept: 'application/json',
    'User-Agent': `sentry-release-action/${packageJson.version}`
  }

  async function attempt(request: PlannedRequest): Promise<Attempt<Answer | Error>> {
    try {
      const url = apiUrl(options.sentryUrl, request.path)
      const response = await sendRequest({ method: request.method, url, headers, json: request.body, timeoutMs: options.timeoutMs })
      const status = response.status
      const answer = { status, body: parseBody(response.body) }
      if (status === 429 || status >= 500) {
        const retryAfter = response.headers['retry-after']
        return { result: answer, retry: { reason: `answered ${status}`, afterMs: retryAfterMs(retryAfter, Date.now()) } }
      }
      if (status === 409 && errorDetail(answer.body).includes(COMMIT_LOCK_DETAIL)) {
        return { result: answer, retry: { reason: `answered 409 (${COMMIT_LOCK_DETAIL})` } }
      }
      return { result: answer }
    } catch (error) {
      const failure = networkFailure(error as Error & { code?: string }, options.timeoutMs)
      if (CERTIFICATE_ERRORS.test(failure.code ?? '')) return { result: failure }
      return { result: failure, retry: { reason: `did not answer (${failure.message})` } }
    }
  }

  return async request => {
    let attempts = 0
    let last: Attempt<Answer | Error> | undefined
    const counted = async (): Promise<Attempt<Answer | Error>> => {
      attempts++
      last = await attempt(request)
      return last
    }
    const answer = await withRetries(counted, options.retry, {
      onRetry: (reason, delayMs, next) =>
        core.info(`Sentry ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${next} of ${options.retry.maxAttempts}).`)
    })
    if (!(answer instanceof Error) && answer.status >= 200 && answer.status < 300) return answer.body
    if (answer instanceof Error) {
      const tries = attempts > 1 ? ` after ${attempts} attempts` : ''
      throw new Error(`Cannot reach Sentry at ${options.sentryUrl}${tries} (check 'sentry_url'): ${answer.message}`)
    }
    const error = sentryError(request, options.org, answer.status, answer.body)
    if (attempts === 1 && !last?.retry) throw error
    throw new SentryError(error.status, `${error.message}${attemptsNote(attempts, last?.retry?.afterMs, options.retry)}`)
  }
}

/** How many attempts were made, and why the action stopped early when a server asked for too long a wait. */
function attemptsNote(attempts: number, retryAfterMs: number | undefined, policy: RetryPolicy): string {
  const count = ` after ${attempts} attempt${attempts === 1 ? '' : 's'}`
  if (attempts >= policy.maxAttempts || retryAfterMs === undefined) return count
  return `${count}; Sentry asked to wait ${Math.round(retryAfterMs / 1000)} s (Retry-After), beyond the ${policy.maxTotalMs / 1000} s retry budget`
}

/** A network error in words people act on: timeouts name request_timeout, certificate errors the CA setting. */
function networkFailure(error: Error & { code?: string }, timeoutMs: number): Error & { code?: string } {
  if (error instanceof TimeoutError) {
    return new Error(`no answer within ${timeoutMs / 1000} s (request_timeout)`)
  }
  if (CERTIFICATE_ERRORS.test(error.code ?? '')) {
    const failure = new Error(`TLS certificate not trusted (${error.code}: ${error.message}); for a private CA set NODE_EXTRA_CA_CERTS to its PEM file`)
    return Object.assign(failure, { code: error.code })
  }
  return error
}

/** JSON when it is JSON; other text (proxies, gateways) only when it is not an HTML page. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text.trimStart().startsWith('<') ? undefined : text
  }
}
