// Fixed-window rate limiting with Sentry's headers and 429 body (ratelimits/, middleware/ratelimit.py).
import { detail } from './http.js'

const CONCURRENT_LIMIT = 999

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>()

  constructor(private readonly config: { limit: number; windowSeconds: number }) {}

  /** Counts a request for the key; returns the headers to send, or throws the 429. */
  hit(key: string, now = Date.now()): Record<string, string> {
    const { limit, windowSeconds } = this.config
    const windowMs = windowSeconds * 1000
    const start = Math.floor(now / windowMs) * windowMs
    const current = this.windows.get(key)
    const window = current && current.start === start ? current : { start, count: 0 }
    window.count++
    this.windows.set(key, window)
    const reset = Math.ceil((start + windowMs) / 1000)
    const headers = {
      'X-Sentry-Rate-Limit-Remaining': String(Math.max(0, limit - window.count)),
      'X-Sentry-Rate-Limit-Limit': String(limit),
      'X-Sentry-Rate-Limit-Reset': String(reset),
      'X-Sentry-Rate-Limit-ConcurrentRemaining': String(CONCURRENT_LIMIT - 1),
      'X-Sentry-Rate-Limit-ConcurrentLimit': String(CONCURRENT_LIMIT)
    }
    if (window.count > limit) {
      throw detail(429,
        `You are attempting to use this endpoint too frequently. Limit is ${limit} requests in ${windowSeconds} seconds`,
        { ...headers, 'Retry-After': String(Math.max(1, reset - Math.floor(now / 1000))) })
    }
    return headers
  }
}
