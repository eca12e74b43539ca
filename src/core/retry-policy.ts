/** Limits of retrying one request: attempts, backoff and the total time spent. */
export interface RetryPolicy {
  maxAttempts: number
  /** First backoff; doubles per attempt, with jitter. */
  baseDelayMs: number
  /** Cap of one computed backoff (a server's Retry-After is honoured as given). */
  maxDelayMs: number
  /** No retry starts after this much time since the first attempt. */
  maxTotalMs: number
}

/**
 * Internal: tests shorten the backoff with SENTRY_RELEASE_ACTION_RETRY_BASE_MS, and the total with
 * SENTRY_RELEASE_ACTION_RETRY_BUDGET_MS (to reach it in seconds); users have no reason to.
 */
export function retryPolicy(env: Record<string, string | undefined>): RetryPolicy {
  const milliseconds = (name: string, fallback: number): number => {
    const value = Number.parseInt(env[name] ?? '', 10)
    return value >= 0 ? value : fallback
  }
  return {
    maxAttempts: 5,
    baseDelayMs: milliseconds('SENTRY_RELEASE_ACTION_RETRY_BASE_MS', 1000),
    maxDelayMs: 30_000,
    maxTotalMs: milliseconds('SENTRY_RELEASE_ACTION_RETRY_BUDGET_MS', 120_000)
  }
}

/** One attempt's result, and why and when to try again if it is worth it. */
export interface Attempt<T> {
  result: T
  /**
   * afterMs replaces the backoff (the server's wait, named by `afterHeader`); extraMs is waited on top of either, inside
   * the same budget.
   */
  retry?: { reason: string; afterMs?: number; afterHeader?: string; extraMs?: number }
}

/** Exponential backoff with jitter: base * 2^(n-1), scaled into [50%, 100%], capped. */
export function backoffMs(attemptNumber: number, policy: RetryPolicy, random: number): number {
  const exponential = Math.min(policy.baseDelayMs * 2 ** (attemptNumber - 1), policy.maxDelayMs)
  return Math.round(exponential * (0.5 + random / 2))
}

/** Retry-After as seconds or an HTTP date -> milliseconds to wait; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** The most a rate limit's reset is waited for beyond what it asks: the clocks of runner and Sentry may differ a little. */
const RESET_MARGIN_MS = 250

/**
 * How long the server asked to wait before the next attempt, and the header that said so: Retry-After (seconds or an
 * HTTP date, as proxies and gateways send it), else on a 429 Sentry's X-Sentry-Rate-Limit-Reset (the end of the
 * window in epoch seconds; Sentry's rate limiter sends no Retry-After, docs/sentry-api.md section 8).
 */
export function serverWait(
  headers: Record<string, string | string[] | undefined>,
  status: number,
  now: number
): { afterMs: number; afterHeader: string } | undefined {
  const retryAfter = retryAfterMs(single(headers['retry-after']), now)
  if (retryAfter !== undefined) return { afterMs: retryAfter, afterHeader: 'Retry-After' }
  const reset = single(headers['x-sentry-rate-limit-reset'])?.trim()
  if (status !== 429 || !reset || !/^\d+(\.\d+)?$/.test(reset)) return undefined
  return { afterMs: Math.max(0, Math.ceil(Number(reset) * 1000 - now)) + RESET_MARGIN_MS, afterHeader: 'X-Sentry-Rate-Limit-Reset' }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
