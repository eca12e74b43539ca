import type { GitHubContext } from './context.js'
import { isRecord } from './payload.js'

// Where each event's payload says when it happened. A rerun of a job gets the same payload, hence the same time.
const EVENT_TIMES: Record<string, (payload: Record<string, unknown>) => unknown> = {
  push: payload => field(payload.repository, 'pushed_at'),
  create: payload => field(payload.repository, 'pushed_at'),
  release: payload => field(payload.release, 'published_at') ?? field(payload.release, 'created_at'),
  deployment: payload => field(payload.deployment, 'created_at'),
  deployment_status: payload => field(payload.deployment_status, 'created_at'),
  workflow_run: payload => field(payload.workflow_run, 'updated_at')
}

/** When the triggering event happened (ISO 8601), or undefined when its payload does not say. */
export function eventTime(context: GitHubContext): string | undefined {
  return isoDate(EVENT_TIMES[context.eventName]?.(context.payload))
}

/** A payload date (ISO 8601 string, or unix seconds as GitHub gives `pushed_at` in push events) -> ISO 8601 UTC. */
export function isoDate(value: unknown): string | undefined {
  const time = typeof value === 'number' ? value * 1000 : typeof value === 'string' && value !== '' ? Date.parse(value) : NaN
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined
}

function field(record: unknown, key: string): unknown {
  return isRecord(record) ? record[key] : undefined
}

/** Whether two ISO 8601 strings name the same instant ("…00Z" and "…00.000Z" do). */
export function sameInstant(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && Date.parse(a) === Date.parse(b)
}
