import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'
import packageJson from '../package.json' with { type: 'json' }
import type { PlannedRequest } from './plan.js'
import { type Attempt, retryAfterMs, type RetryPolicy, withRetries } from './retry.js'
import { sentryError } from './sentry-errors.js'
import { apiUrl } from './url.js'

/** A release as Sentry serializes it (contract section 3). */
export type SentryRelease = Record<string, unknown>

export interface SentryClientOptions {
  sentryUrl: string
  authToken: string
  org: string
  timeoutMs: number
  retry: RetryPolicy
}

/** Sends one planned request; resolves with Sentry's JSON on 2xx, else throws SentryError (404 included). */
export type SendRequest = (request: PlannedRequest) => Promise<SentryRelease>

interface Answer {
  status: number
  body: unknown
}

/** @actions/http-client honours https_proxy/no_proxy; retries, timeouts and errors are ours. */
export function createSentryClient(options: SentryClientOptions): SendRequest {
  const http = new HttpClient(`sentry-release-action/${packageJson.version}`, [], {
    socketTimeout: options.timeoutMs,
    allowRetries: false,
    keepAlive: false
  })
  const headers = { Authorization: `Bearer ${options.authToken}`, 'Content-Type': 'application/json', Accept: 'application/json' }

  async function attempt(request: PlannedRequest): Promise<Attempt<Answer | Error>> {
    try {
      const response = await http.request(request.method, apiUrl(options.sentryUrl, request.path), JSON.stringify(request.body), headers)
      const status = response.message.statusCode ?? 0
      const answer = { status, body: parseBody(await response.readBody()) }
      if (status === 429 || status >= 500) {
        const retryAfter = response.message.headers['retry-after']
        return { result: answer, retry: { reason: `answered ${status}`, afterMs: retryAfterMs(retryAfter, Date.now()) } }
      }
      return { result: answer }
    } catch (error) {
      const failure = error as Error
      return { result: failure, retry: { reason: `did not answer (${failure.message})` } }
    }
  }

  return async request => {
    const answer = await withRetries(() => attempt(request), options.retry, {
      onRetry: (reason, delayMs, next) =>
        core.info(`Sentry ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${next} of ${options.retry.maxAttempts}).`)
    })
    if (answer instanceof Error) throw new Error(`Cannot reach Sentry at ${options.sentryUrl}: ${answer.message}`)
    if (answer.status >= 200 && answer.status < 300) return answer.body as SentryRelease
    throw sentryError(request, options.org, answer.status, answer.body)
  }
}

/** JSON when it is JSON; other text (proxies, gateways) only when it is not an HTML page. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text.trimStart().startsWith('<') ? undefined : text
  }
}
