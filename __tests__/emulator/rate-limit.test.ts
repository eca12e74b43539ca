// Sentry's rate limits (docs/sentry-api.md section 8): per-endpoint limits, fixed windows, and who shares a counter.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  DEFAULT_ORG_TOKEN,
  DEFAULT_TOKEN,
  defaultSeed,
  makeOrgToken,
  SENTRY_RATE_LIMITS,
  startEmulator,
  type Emulator
} from '../../emulator/index.js'
import { RateLimiter } from '../../emulator/rate-limit.js'
import { ApiError } from '../../emulator/http.js'
import { call, releasePath } from './client.js'

const NOW = 1_700_000_000_000

function rejection(hit: () => unknown): ApiError {
  try {
    hit()
  } catch (e) {
    if (e instanceof ApiError) return e
    throw e
  }
  throw new Error('expected a 429')
}

describe('RateLimiter with SENTRY_RATE_LIMITS', () => {
  test('releases list/create: 40 requests per 1 s window, then 429 until the next second', () => {
    const limiter = new RateLimiter(SENTRY_RATE_LIMITS)
    for (let i = 1; i <= 40; i++) expect(limiter.hit('releases', 'k', NOW)['X-Sentry-Rate-Limit-Remaining']).toBe(String(40 - i))
    const limited = rejection(() => limiter.hit('releases', 'k', NOW + 999))
    expect(limited.status).toBe(429)
    expect(limited.body).toEqual({ detail: 'You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds' })
    expect(limited.headers).toEqual({
      'Content-Type': 'text/html; charset=utf-8',
      'X-Sentry-Rate-Limit-Limit': '40',
      'X-Sentry-Rate-Limit-Remaining': '0',
      'X-Sentry-Rate-Limit-Reset': String(NOW / 1000 + 1),
      'X-Sentry-Rate-Limit-ConcurrentRemaining': '998',
      'X-Sentry-Rate-Limit-ConcurrentLimit': '999'
    })
    expect(limiter.hit('releases', 'k', NOW + 1000)['X-Sentry-Rate-Limit-Remaining']).toBe('39')
  })

  test('every other endpoint: the default 999 per 1 s, counted apart from releases', () => {
    const limiter = new RateLimiter(SENTRY_RATE_LIMITS)
    expect(limiter.hit('default', 'k', NOW)).toEqual({
      'X-Sentry-Rate-Limit-Remaining': '998',
      'X-Sentry-Rate-Limit-Limit': '999',
      'X-Sentry-Rate-Limit-Reset': String(NOW / 1000 + 1),
      'X-Sentry-Rate-Limit-ConcurrentRemaining': '998',
      'X-Sentry-Rate-Limit-ConcurrentLimit': '999'
    })
  })

  test('a group without a limit and without a default is not limited', () => {
    expect(new RateLimiter({ releases: { limit: 1, windowSeconds: 1 } }).hit('default', 'k', NOW)).toEqual({})
  })
})

describe('rate limit keys through the server', () => {
  let em: Emulator
  const otherOrgToken = makeOrgToken({ org: 'acme', url: 'http://other.example' })
  beforeAll(async () => {
    const seed = defaultSeed()
    seed.tokens.push({ token: otherOrgToken, scopes: ['org:ci'] })
    em = await startEmulator({ seed, rateLimit: { releases: { limit: 2, windowSeconds: 3600 } } })
  })
  afterAll(async () => {
    await em.stop()
  })

  const create = (version: string, token: string) =>
    call(em.url, 'POST', '/api/0/organizations/acme/releases/', { version, projects: ['web'] }, token)

  test('org tokens share the IP counter, user tokens count per user, each endpoint and method apart', async () => {
    expect((await create('1', DEFAULT_ORG_TOKEN)).status).toBe(201)
    expect((await create('2', DEFAULT_ORG_TOKEN)).status).toBe(201)
    // Another org token from the same IP: the same counter.
    expect(await create('3', otherOrgToken)).toMatchObject({
      status: 429,
      body: { detail: 'You are attempting to use this endpoint too frequently. Limit is 2 requests in 3600 seconds' }
    })
    // A user token: its own counter.
    const byUser = await create('4', DEFAULT_TOKEN)
    expect([byUser.status, byUser.headers.get('x-sentry-rate-limit-remaining')]).toEqual([201, '1'])
    // Listing is another method; release details are in the unlimited default group here.
    expect((await call(em.url, 'GET', '/api/0/organizations/acme/releases/', undefined, DEFAULT_ORG_TOKEN)).status).toBe(200)
    const details = await call(em.url, 'GET', releasePath('1'), undefined, DEFAULT_ORG_TOKEN)
    expect([details.status, details.headers.get('x-sentry-rate-limit-limit')]).toEqual([200, null])
  })
})

describe('fault rules with status 429', () => {
  let em: Emulator
  beforeAll(async () => {
    em = await startEmulator()
  })
  afterAll(async () => {
    await em.stop()
  })
  const put = () => call(em.url, 'PUT', releasePath('1'), { ref: 'x' })

  test("without retryAfter: Sentry's own 429, Reset a second ahead by default or resetSeconds ahead", async () => {
    em.addFault({ method: 'PUT', status: 429 })
    const before = Math.floor(Date.now() / 1000)
    const limited = await put()
    expect(limited).toMatchObject({
      status: 429,
      body: { detail: 'You are attempting to use this endpoint too frequently. Limit is 999 requests in 1 seconds' }
    })
    const shown = [...limited.headers].filter(([k]) => k.startsWith('x-sentry') || k === 'content-type' || k === 'retry-after')
    expect(Object.fromEntries(shown)).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'x-sentry-rate-limit-limit': '999',
      'x-sentry-rate-limit-remaining': '0',
      'x-sentry-rate-limit-reset': expect.stringMatching(/^\d+$/),
      'x-sentry-rate-limit-concurrentlimit': '999',
      'x-sentry-rate-limit-concurrentremaining': '998'
    })
    expect(Number(limited.headers.get('x-sentry-rate-limit-reset')) - before).toBeGreaterThanOrEqual(1)
    expect(Number(limited.headers.get('x-sentry-rate-limit-reset')) - before).toBeLessThanOrEqual(2)
    em.addFault({ method: 'PUT', status: 429, resetSeconds: 30 })
    expect(Number((await put()).headers.get('x-sentry-rate-limit-reset')) - before).toBeGreaterThanOrEqual(30)
  })

  test('with retryAfter: a proxy-style 429, JSON with Retry-After and no X-Sentry-Rate-Limit-* headers', async () => {
    em.addFault({ method: 'PUT', status: 429, retryAfter: '3' })
    const limited = await put()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('3')
    expect(limited.headers.get('content-type')).toBe('application/json')
    expect(limited.headers.get('x-sentry-rate-limit-reset')).toBeNull()
  })
})
