import * as core from '@actions/core'
import packageJson from '../../package.json' with { type: 'json' }
import { type HttpProxy, ProxyError, proxyFor, ResponseTooLargeError, sendRequest, TimeoutError, userAgent } from './http-transport.js'
import type { PlannedRequest } from '../core/requests.js'
import { type Attempt, type RetryPolicy, serverWait } from '../core/retry-policy.js'
import { withRetries } from '../steps/retry.js'
import { inert } from '../core/log-text.js'
import { info } from '../steps/log.js'
import { orgTokenSecret } from '../core/org-token.js'
import type { SendRequest } from '../core/ports.js'
import { errorDetail, SentryError, sentryError } from '../core/sentry-errors.js'
import { apiUrl } from '../core/url.js'

export interface SentryClientOptions {
  sentryUrl: string
  authToken: string
  org: string
  timeoutMs: number
  retry: RetryPolicy
}

interface Answer {
  status: number
  body: unknown
}

// Sentry's 409 while another request sets the release's commits (docs/sentry-api.md section 1, step 5): it clears by itself.
const COMMIT_LOCK_DETAIL = 'Release commits are currently being processed'

// Certificate problems do not go away on a retry; they need a CA (NODE_EXTRA_CA_CERTS) or another URL.
const CERTIFICATE_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/

/**
 * One planned request at a time over http-transport (the toolkit's proxies, our deadline); retries and errors are ours.
 * Throws at once when the proxy setting cannot work, naming its variable: no request is tried.
 */
export function createSentryClient(options: SentryClientOptions): SendRequest {
  const proxy = proxyFor(new URL(options.sentryUrl))
  const withoutSecrets = secretRemover(options.authToken)
  const headers = {
    Authorization: `Bearer ${options.authToken}`,
    Accept: 'application/json',
    'User-Agent': userAgent(`sentry-release-action/${packageJson.version}`)
  }

  async function attempt(request: PlannedRequest): Promise<Attempt<Answer | NetworkFailure>> {
    try {
      const url = apiUrl(options.sentryUrl, request.path)
      const response = await sendRequest({ method: request.method, url, headers, json: request.body, timeoutMs: options.timeoutMs, proxy })
      const status = response.status
      const answer = { status, body: parseBody(withoutSecrets(response.body)) }
      if (status === 429 || status >= 500) {
        return { result: answer, retry: { reason: `answered ${status}`, ...serverWait(response.headers, status, Date.now()) } }
      }
      if (status === 409 && errorDetail(answer.body).includes(COMMIT_LOCK_DETAIL)) {
        return { result: answer, retry: { reason: `answered 409 (${COMMIT_LOCK_DETAIL})` } }
      }
      return { result: answer }
    } catch (error) {
      const failure = networkFailure(error as Error & { code?: string }, options.timeoutMs, proxy)
      if (!failure.retryable) return { result: failure }
      return { result: failure, retry: { reason: failure.check ? `did not answer (${failure.message})` : failure.message } }
    }
  }

  return async (request, ifMaybeApplied) => {
    let attempts = 0
    let last: Attempt<Answer | NetworkFailure> | undefined
    const counted = async (): Promise<Attempt<Answer | NetworkFailure>> => {
      attempts++
      // The retry's delay included the wait (extraMs) for a request Sentry may still be running: check before sending.
      if (ifMaybeApplied && last?.retry?.extraMs) {
        const applied = await ifMaybeApplied(last.retry.reason)
        if (applied !== undefined) return (last = { result: { status: 200, body: applied } })
      }
      const started = Date.now()
      last = await attempt(request)
      if (ifMaybeApplied && last.retry && mayHaveApplied(last.result)) last.retry.extraMs = options.timeoutMs
      core.debug(attemptText(request, last, Date.now() - started, proxy))
      return last
    }
    const answer = await withRetries(counted, options.retry, {
      onRetry: (reason, delayMs, next) => info(retryText(reason, delayMs, next, options.retry, last?.retry?.extraMs))
    })
    if (last?.retry) core.debug(`${request.method} /api/0/${request.path}: no further attempt (${stopReason(attempts, options.retry)}).`)
    if (!(answer instanceof Error) && answer.status >= 200 && answer.status < 300) return answer.body
    if (answer instanceof NetworkFailure) throw new Error(networkErrorText(answer, attempts, options.sentryUrl, request))
    const error = sentryError(request, options.org, answer.status, answer.body)
    if (attempts === 1 && !last?.retry) throw error
    throw new SentryError(error.status, `${error.message}${attemptsNote(attempts, last?.retry, options.retry)}`)
  }
}

/** Debug line of one attempt: the request, Sentry's status or the network error, the time, and whether it is worth another. */
function attemptText(request: PlannedRequest, attempt: Attempt<Answer | NetworkFailure>, ms: number, proxy: HttpProxy | undefined): string {
  const { result, retry } = attempt
  const outcome = result instanceof NetworkFailure ? `no answer (${result.message})` : `${result.status}`
  const via = proxy ? ` via proxy ${proxy.url.host}` : ''
  const next = retry ? `worth another attempt: ${retry.reason}` : 'final'
  return `${request.method} /api/0/${request.path}${via} -> ${outcome} in ${ms} ms; ${next}.`
}

/** Why no attempt follows one that was worth another. */
function stopReason(attempts: number, policy: RetryPolicy): string {
  if (attempts >= policy.maxAttempts) return `attempt ${attempts} was the last of ${policy.maxAttempts}`
  return `the wait would pass the ${policy.maxTotalMs / 1000} s retry budget`
}

/** The retry log line: the whole wait, and why it is longer than the backoff when it is. */
function retryText(reason: string, delayMs: number, next: number, policy: RetryPolicy, extraMs?: number): string {
  const retrying = `Sentry ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${next} of ${policy.maxAttempts})`
  if (!extraMs) return `${retrying}.`
  return (
    `${retrying}: the backoff plus ${extraMs / 1000} s ('request_timeout'), so that a deploy Sentry may still be recording ` +
    `shows up before checking.`
  )
}

/**
 * Sentry reached but silent (a timeout) is told apart from Sentry never reached, which is where sentry_url is to blame,
 * and from a server that answered more than is read (not Sentry's API, so sentry_url again).
 */
function networkErrorText(failure: NetworkFailure, attempts: number, sentryUrl: string, request: PlannedRequest): string {
  const plural = attempts === 1 ? '' : 's'
  if (failure.code === TOO_LARGE) {
    return (
      `The server at ${new URL(sentryUrl).origin} answered ${request.method} /api/0/${request.path} with ${failure.message}, ` +
      `the most that is read (Sentry's answers are far smaller): ${failure.check}`
    )
  }
  if (!failure.check) return `Sentry at ${new URL(sentryUrl).origin} ${failure.message} in ${attempts} attempt${plural}`
  const tries = attempts > 1 ? ` after ${attempts} attempts` : ''
  return `Cannot reach Sentry at ${sentryUrl}${tries} (${failure.check}): ${failure.message}`
}

/** How many attempts were made, and why the action stopped early when a server asked for too long a wait. */
function attemptsNote(attempts: number, retry: Attempt<unknown>['retry'], policy: RetryPolicy): string {
  const count = ` after ${attempts} attempt${attempts === 1 ? '' : 's'}`
  if (attempts >= policy.maxAttempts || retry?.afterMs === undefined) return count
  const check = retry.extraMs ? ` and ${Math.round(retry.extraMs / 1000)} s more before checking for the deploy` : ''
  return (
    `${count}; Sentry asked to wait ${Math.round(retry.afterMs / 1000)} s (${retry.afterHeader ?? 'Retry-After'})${check}, ` +
    `beyond the ${policy.maxTotalMs / 1000} s retry budget`
  )
}

// Network errors raised before a connection was made: the request never left.
const NOT_SENT_ERRORS = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN)$/

/**
 * Whether Sentry may have applied a request whose attempt failed. Certainly not after a 4xx (a 429 comes from
 * the rate limiter, before the endpoint runs) or a connection never made; maybe after a timeout, a dropped
 * connection or a 5xx.
 */
function mayHaveApplied(result: Answer | NetworkFailure): boolean {
  return result instanceof NetworkFailure ? !NOT_SENT_ERRORS.test(result.code ?? '') : result.status >= 500
}

/**
 * No answer from Sentry: words people act on, the setting to check (none after a timeout: Sentry was reached),
 * and whether another attempt can help.
 */
class NetworkFailure extends Error {
  constructor(
    message: string,
    readonly check: string | undefined,
    readonly retryable: boolean,
    readonly code?: string
  ) {
    super(message)
    this.name = 'NetworkFailure'
  }
}

// The code of a NetworkFailure for an answer over http-transport's cap.
const TOO_LARGE = 'RESPONSE_TOO_LARGE'

// Requests undici refuses to send (`invalid Authorization header`: characters HTTP forbids): every attempt fails the same way.
const REFUSED_HEADER = /^invalid .+ header$/

/** A network error in words people act on: timeouts name request_timeout, certificate errors the CA setting. */
function networkFailure(error: Error & { code?: string }, timeoutMs: number, proxy: HttpProxy | undefined): NetworkFailure {
  const { code } = error
  const checkUrl = proxy ? `check 'sentry_url' and '${proxy.variable}'` : "check 'sentry_url'"
  if (error instanceof TimeoutError)
    return new NetworkFailure(`did not answer within ${timeoutMs / 1000} s ('request_timeout')`, undefined, true)
  // Sentry's answers are far smaller: what sends more is not Sentry's API, and would send as much again.
  if (error instanceof ResponseTooLargeError) {
    return new NetworkFailure(`more than ${error.limitBytes / 1024 / 1024} MiB`, "check 'sentry_url'", false, TOO_LARGE)
  }
  if (error instanceof ProxyError) return new NetworkFailure(error.message, `check '${error.variable}'`, error.retryable)
  if (CERTIFICATE_ERRORS.test(code ?? '')) {
    const message =
      `TLS certificate not trusted (${code}: ${inert(error.message, 300)}); for a private CA set ` + `NODE_EXTRA_CA_CERTS to its PEM file`
    return new NetworkFailure(message, "check 'sentry_url'", false, code)
  }
  // Only the token comes from outside into a header (settings refuses such tokens first).
  if (code === 'UND_ERR_INVALID_ARG' && REFUSED_HEADER.test(error.message)) {
    return new NetworkFailure(`the request was refused before sending: ${error.message}`, "check 'auth_token'", false, code)
  }
  // undici's words, which may quote what a server sent: one line, bounded, inert.
  return new NetworkFailure(inert(error.message, 300), checkUrl, true, code)
}

// What stands for the token (or an org token's secret) where a server sent it back.
const SECRET_SHOWN = '[the auth token, not shown]'

/**
 * A server's answer without the token: Sentry never sends it back, but a server that is not Sentry received it and may
 * (an error page quoting the request). Its text then reaches no error line, output or summary. The whole token and an
 * org token's secret, as the runner masks them; a token of fewer than 8 characters would match by chance and is not
 * looked for.
 */
function secretRemover(token: string): (text: string) => string {
  const secrets = [token, orgTokenSecret(token)].filter((secret): secret is string => secret !== undefined && secret.length >= 8)
  return text => secrets.reduce((cleaned, secret) => cleaned.split(secret).join(SECRET_SHOWN), text)
}

/** JSON when it is JSON; other text (proxies, gateways) only when it is not an HTML page; undefined for an empty body. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    const start = text.trimStart()
    return start === '' || start.startsWith('<') ? undefined : text
  }
}
