import * as core from './runner.js'
import type { Plan } from './plan.js'
import type { SendRequest, SentryRelease } from './sentry-client.js'
import { SentryError } from './sentry-errors.js'

/** Sends the plan's update; when Sentry has no such release, creates it or fails as the plan says. */
export async function publish(plan: Plan, send: SendRequest): Promise<SentryRelease> {
  try {
    return await send(plan.update)
  } catch (error) {
    if (!(error instanceof SentryError && error.status === 404)) throw error
  }
  if (plan.ifMissing instanceof Error) throw plan.ifMissing
  core.info(`Sentry has no release ${plan.version} yet: creating it.`)
  return send(plan.ifMissing)
}
