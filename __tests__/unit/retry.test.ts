import { describe, expect, test } from '@jest/globals'
import { type Attempt, backoffMs, retryAfterMs, type RetryPolicy, retryPolicy, serverWait } from '../../src/core/retry-policy.js'
import { withRetries } from '../../src/steps/retry.js'

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000, maxTotalMs: 20_000 }

/** Runs withRetries over scripted attempts on a fake clock; returns the result, sleeps and retry log. */
async function run(script: Array<Attempt<string>>, random = 1) {
  let clock = 0
  const sleeps: number[] = []
  const log: string[] = []
  let index = 0
  const result = await withRetries(async () => script[index++], policy, {
    sleep: async ms => {
      sleeps.push(ms)
      clock += ms
    },
    now: () => clock,
    random: () => random,
    onRetry: (reason, delay, next) => log.push(`${reason} ${delay} ${next}`)
  })
  return { result, sleeps, log, attempts: index }
}

const retryable = (reason: string, afterMs?: number): Attempt<string> => ({ result: reason, retry: { reason, afterMs } })

describe('withRetries', () => {
  test('a success needs one attempt', async () => {
    expect(await run([{ result: 'ok' }])).toEqual({ result: 'ok', sleeps: [], log: [], attempts: 1 })
  })

  test('backs off exponentially, honours Retry-After, and returns the first final answer', async () => {
    const outcome = await run([retryable('503'), retryable('429', 3000), retryable('network'), { result: 'ok' }])
    expect(outcome).toEqual({ result: 'ok', sleeps: [1000, 3000, 4000], log: ['503 1000 2', '429 3000 3', 'network 4000 4'], attempts: 4 })
  })

  test('stops after maxAttempts and returns the last answer', async () => {
    const outcome = await run([retryable('a'), retryable('b'), retryable('c'), retryable('d'), { result: 'never' }])
    expect(outcome.result).toBe('d')
    expect(outcome.attempts).toBe(4)
  })

  test('a wait on top of the backoff is logged as part of the delay and counts in the budget', async () => {
    const waitMore = (reason: string): Attempt<string> => ({ result: reason, retry: { reason, extraMs: 5000 } })
    const outcome = await run([waitMore('a'), waitMore('b'), waitMore('c'), { result: 'never' }])
    // Backoff plus 5 s: 6 s, then 7 s; a third wait of 9 s would end past the 20 s budget.
    expect(outcome).toEqual({ result: 'c', sleeps: [6000, 7000], log: ['a 6000 2', 'b 7000 3'], attempts: 3 })
  })

  test('does not start a wait that would exceed the total budget', async () => {
    const outcome = await run([retryable('429', 25_000), { result: 'never' }])
    expect(outcome).toEqual({ result: '429', sleeps: [], log: [], attempts: 1 })
  })
})

describe('backoffMs', () => {
  test('doubles, is capped, and jitter scales into [50%, 100%]', () => {
    expect([1, 2, 3, 4, 5].map(n => backoffMs(n, policy, 1))).toEqual([1000, 2000, 4000, 5000, 5000])
    expect(backoffMs(2, policy, 0)).toBe(1000)
  })
})

describe('retryAfterMs', () => {
  const now = Date.parse('2024-01-01T00:00:00Z')
  test.each([
    ['2', 2000],
    [' 0 ', 0],
    ['Mon, 01 Jan 2024 00:00:05 GMT', 5000],
    ['Sun, 31 Dec 2023 23:59:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined]
  ])('%j -> %j', (header, expected) => expect(retryAfterMs(header, now)).toBe(expected))
})

describe('serverWait', () => {
  const now = Date.parse('2024-01-01T00:00:00.400Z')
  const reset = String(Date.parse('2024-01-01T00:00:02Z') / 1000)
  test("Retry-After first (proxies, gateways), else on a 429 Sentry's rate-limit reset (epoch seconds) plus a margin", () => {
    expect(serverWait({ 'retry-after': '3', 'x-sentry-rate-limit-reset': reset }, 429, now)).toEqual({
      afterMs: 3000,
      afterHeader: 'Retry-After'
    })
    expect(serverWait({ 'x-sentry-rate-limit-reset': reset }, 429, now)).toEqual({
      afterMs: 1850,
      afterHeader: 'X-Sentry-Rate-Limit-Reset'
    })
    // A reset in the past (clocks differ): the margin alone.
    expect(serverWait({ 'x-sentry-rate-limit-reset': '1000' }, 429, now)).toEqual({
      afterMs: 250,
      afterHeader: 'X-Sentry-Rate-Limit-Reset'
    })
  })
  test('nothing to wait for: the backoff decides', () => {
    expect(serverWait({ 'x-sentry-rate-limit-reset': reset }, 503, now)).toBeUndefined()
    expect(serverWait({ 'x-sentry-rate-limit-reset': 'soon' }, 429, now)).toBeUndefined()
    expect(serverWait({}, 429, now)).toBeUndefined()
  })
})

describe('retryPolicy', () => {
  test('bounded by default; tests may shorten the base delay and the budget', () => {
    expect(retryPolicy({})).toEqual({ maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxTotalMs: 120_000 })
    expect(retryPolicy({ SENTRY_RELEASE_ACTION_RETRY_BASE_MS: '5', SENTRY_RELEASE_ACTION_RETRY_BUDGET_MS: '3000' })).toEqual({
      maxAttempts: 5,
      baseDelayMs: 5,
      maxDelayMs: 30_000,
      maxTotalMs: 3000
    })
    expect(retryPolicy({ SENTRY_RELEASE_ACTION_RETRY_BUDGET_MS: 'soon' }).maxTotalMs).toBe(120_000)
  })
})
