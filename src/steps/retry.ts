import { type Attempt, backoffMs, type RetryPolicy } from '../core/retry-policy.js'

export interface RetryHooks {
  onRetry(reason: string, delayMs: number, nextAttempt: number): void
  sleep(ms: number): Promise<void>
  now(): number
  random(): number
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

const realHooks: Omit<RetryHooks, 'onRetry'> = {
  sleep,
  now: () => Date.now(),
  random: Math.random
}

/** Runs attempts until one needs no retry or a limit is reached; returns the last result either way. */
export async function withRetries<T>(
  attempt: () => Promise<Attempt<T>>,
  policy: RetryPolicy,
  hooks: Partial<RetryHooks> & Pick<RetryHooks, 'onRetry'>
): Promise<T> {
  const { sleep, now, random, onRetry } = { ...realHooks, ...hooks }
  const start = now()
  for (let attemptNumber = 1; ; attemptNumber++) {
    const { result, retry } = await attempt()
    if (!retry || attemptNumber >= policy.maxAttempts) return result
    const delay = (retry.afterMs ?? backoffMs(attemptNumber, policy, random())) + (retry.extraMs ?? 0)
    if (now() - start + delay > policy.maxTotalMs) return result
    onRetry(retry.reason, delay, attemptNumber + 1)
    await sleep(delay)
  }
}
