import { describe, expect, test } from '@jest/globals'
import type { GitHubContext } from '../../src/core/context.js'
import { eventTime, isoDate } from '../../src/core/event-time.js'
import { buildPlan } from '../../src/core/plan.js'
import { examplePayload } from '../../harness/events.js'
import { githubContext, HEAD, settingsWith } from '../helpers/fixtures.js'

function context(eventName: string, payload: Record<string, unknown>): GitHubContext {
  return { ...githubContext, eventName, payload }
}

describe('eventTime: when the triggering event happened, from its payload', () => {
  test.each([
    ['push', examplePayload('push', p => p.ref === 'refs/tags/simple-tag'), '2019-05-15T15:20:57.000Z'], // pushed_at, unix seconds
    ['create', examplePayload('create', p => p.ref_type === 'tag'), '2019-05-15T15:20:56.000Z'],
    ['release', examplePayload('release', p => p.action === 'published'), '2019-05-15T15:20:53.000Z'], // published_at
    ['deployment', examplePayload('deployment', () => true), '2019-05-15T15:20:53.000Z'],
    ['deployment_status', examplePayload('deployment_status', () => true), '2019-05-15T15:20:55.000Z'],
    ['workflow_run', examplePayload('workflow_run', p => p.action === 'completed'), '2021-12-16T19:37:22.000Z']
  ])('%s', (eventName, payload, expected) => {
    expect(eventTime(context(eventName, payload))).toBe(expected)
  })

  test('an unpublished release: its created_at', () => {
    const payload = examplePayload('release', p => p.action === 'created')
    Object.assign(payload.release as object, { published_at: null })
    expect(eventTime(context('release', payload))).toBe('2019-05-15T15:19:25.000Z')
  })

  test('events without a time, and bad values: undefined', () => {
    expect(eventTime(context('workflow_dispatch', { inputs: {} }))).toBeUndefined()
    expect(eventTime(context('push', { repository: { pushed_at: 'soon' } }))).toBeUndefined()
    expect(eventTime(context('push', {}))).toBeUndefined()
  })

  test('isoDate: unix seconds or ISO 8601', () => {
    expect(isoDate(0)).toBe('1970-01-01T00:00:00.000Z')
    expect(isoDate('2024-06-01T12:00:00+02:00')).toBe('2024-06-01T10:00:00.000Z')
    expect(isoDate('')).toBeUndefined()
    expect(isoDate(null)).toBeUndefined()
  })
})

describe('the default dateReleased', () => {
  const plan = (payload: Record<string, unknown>, dateReleased?: string) =>
    buildPlan({
      settings: settingsWith({ dateReleased }),
      context: context('push', payload),
      target: { kind: 'tag', tag: 'v1.2.0', sha: HEAD },
      range: { head: HEAD },
      now: new Date('2030-01-01T00:00:00Z')
    }).update.body.dateReleased

  test('is the time of the event, so a rerun sends the same date', () => {
    expect(plan({ repository: { pushed_at: 1717236000 } })).toBe('2024-06-01T10:00:00.000Z')
  })

  test('is now when the payload has no time; date_released wins over both', () => {
    expect(plan({})).toBe('2030-01-01T00:00:00.000Z')
    expect(plan({ repository: { pushed_at: 1717236000 } }, '2020-01-01T00:00:00.000Z')).toBe('2020-01-01T00:00:00.000Z')
  })
})
