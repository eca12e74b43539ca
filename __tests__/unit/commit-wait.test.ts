import { describe, expect, jest, test } from '@jest/globals'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { pollDelays, waitForCommits } = await import('../../src/wait-for-commits.js')
const { buildPlan } = await import('../../src/plan.js')
const { tagPushPlanInputs } = await import('../helpers/fixtures.js')

const plan = buildPlan(tagPushPlanInputs())

describe('pollDelays', () => {
  test.each([
    [0, []],
    [2500, [1000, 1500]],
    [30_000, [1000, 2000, 4000, 8000, 8000, 7000]]
  ])('%d ms -> %j', (total, delays) => expect(pollDelays(total)).toEqual(delays))
})

describe('waitForCommits', () => {
  const sleep = jest.fn((_ms: number) => Promise.resolve())

  test('polls GET on the release until commitCount is non-zero', async () => {
    const answers = [{ commitCount: 0 }, { commitCount: 4 }]
    const send = jest.fn(async () => answers.shift() ?? {})
    const release = await waitForCommits(plan, { commitCount: 0 }, send, 10_000, { sleep })
    expect(release).toEqual({ commitCount: 4 })
    expect(send.mock.calls).toEqual([[{ method: 'GET', path: plan.update.path }], [{ method: 'GET', path: plan.update.path }]])
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([1000, 2000])
  })

  test('a stale count (a rerun, a new range) is not enough: polls until lastCommit is the head commit', async () => {
    const stale = { commitCount: 7, lastCommit: { id: 'c'.repeat(40) } }
    const answers = [stale, { commitCount: 9, lastCommit: { id: plan.range.head } }]
    const send = jest.fn(async () => answers.shift() ?? {})
    sleep.mockClear()
    expect(await waitForCommits(plan, stale, send, 10_000, { sleep })).toEqual({ commitCount: 9, lastCommit: { id: plan.range.head } })
    expect(send).toHaveBeenCalledTimes(2)
  })

  test('time runs out: a warning, the last answer', async () => {
    const send = jest.fn(async () => ({ commitCount: 0, n: send.mock.calls.length }))
    core.warning.mockClear()
    expect(await waitForCommits(plan, { commitCount: 0 }, send, 2500, { sleep })).toEqual({ commitCount: 0, n: 2 })
    expect(core.warning).toHaveBeenCalledWith(
      'Sentry listed no commits for v1.2.0 within wait_for_commits (2.5 s); commitCount may still rise.',
      { title: 'wait_for_commits' }
    )
  })

  test('no wait: 0 seconds, commits already listed, or local commit data (set at once)', async () => {
    const send = jest.fn(async () => ({}))
    await waitForCommits(plan, { commitCount: 0 }, send, 0, { sleep })
    await waitForCommits(plan, { commitCount: 3 }, send, 10_000, { sleep })
    await waitForCommits(plan, { commitCount: 3, lastCommit: { id: plan.range.head } }, send, 10_000, { sleep })
    await waitForCommits({ ...plan, commitSource: 'local' }, { commitCount: 0 }, send, 10_000, { sleep })
    expect(send).not.toHaveBeenCalled()
  })
})
