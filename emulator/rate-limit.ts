// Fixed-window rate limiting with Sentry's per-endpoint limits, keys, headers and 429 (ratelimits/, middleware/ratelimit.py).
import { ApiError } from './http.js'

export interface Limit {
  limit: number
  windowSeconds: number
}
/** Endpoints with a limit of their own; every other endpoint is in 'default'. */
export type RateLimitGroup = 'default' | 'releases'
/** A limit per group; a group without one uses 'default', and without 'default' it is not limited. */
export type RateLimitTable = Partial<Record<RateLimitGroup, Limit>>

/** Sentry's values when limiting is on: releases list/create 40 per second, the rest SENTRY_RATELIMITER_DEFAULT. */
export const SENTRY_RATE_LIMITS: Required<RateLimitTable> = {
  default: { limit: 999, windowSeconds: 1 },
  releases: { limit: 40, windowSeconds: 1 }
}

const CONCURRENT_LIMIT = 999

/**
 * RatelimitMiddleware.process_view answers a limited request with HttpResponse(orjson.dumps({"detail": ...}), 429):
 * Django's default content type, not JSON, and no Retry-After.
 */
export const RATE_LIMITED_CONTENT_TYPE = 'text/html; charset=utf-8'

export function tooFrequent({ limit, windowSeconds }: Limit): { detail: string } {
  return { detail: `You are attempting to use this endpoint too frequently. Limit is ${limit} requests in ${windowSeconds} seconds` }
}

/** process_response's headers on every limited endpoint; Reset is the next window's start in epoch seconds. */
export function rateLimitHeaders(limit: number, remaining: number, resetEpochSeconds: number): Record<string, string> {
  return {
    'X-Sentry-Rate-Limit-Remaining': String(remaining),
    'X-Sentry-Rate-Limit-Limit': String(limit),
    'X-Sentry-Rate-Limit-Reset': String(resetEpochSeconds),
    'X-Sentry-Rate-Limit-ConcurrentRemaining': String(CONCURRENT_LIMIT - 1),
    'X-Sentry-Rate-Limit-ConcurrentLimit': String(CONCURRENT_LIMIT)
  }
}

/** Sentry's 429: the detail served as text/html with the rate-limit headers and nothing else. */
export function rateLimited(config: Limit, headers: Record<string, string>, body: unknown = tooFrequent(config)): ApiError {
  return new ApiError(429, body, { ...headers, 'Content-Type': RATE_LIMITED_CONTENT_TYPE })
}

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>()
  private readonly table: RateLimitTable

  /** One Limit applies to every endpoint; a table sets them per group. */
  constructor(config: Limit | RateLimitTable) {
    this.table = 'limit' in config ? { default: config as Limit } : config
  }

  limitFor(group: RateLimitGroup): Limit | undefined {
    return this.table[group] ?? this.table.default
  }

  /** Counts a request under `key` in the group's window; returns the headers to send, or throws the 429. */
  hit(group: RateLimitGroup, key: string, now = Date.now()): Record<string, string> {
    const config = this.limitFor(group)
    if (!config) return {}
    const windowMs = config.windowSeconds * 1000
    const start = Math.floor(now / windowMs) * windowMs
    const current = this.windows.get(key)
    const window = current && current.start === start ? current : { start, count: 0 }
    window.count++
    this.windows.set(key, window)
    // redis is_limited_with_value: reset_time is the start of the next bucket.
    const headers = rateLimitHeaders(config.limit, Math.max(0, config.limit - window.count), Math.ceil((start + windowMs) / 1000))
    if (window.count > config.limit) throw rateLimited(config, headers)
    return headers
  }
}
