import { describe, expect, jest, test } from '@jest/globals'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { gitRangeCheck, listsRange, pollDelays, waitForCommits } = await import('../../src/steps/wait-for-commits.js')
const { buildPlan } = await import('../../src/core/plan.js')
const { HEAD, PREVIOUS, tagPushPlanInputs } = await import('../helpers/fixtures.js')

describe('pollDelays', () => {
  test.each([
    [0, []],
    [2500, [1000, 1500]],
    [30_000, [1000, 2000, 4000, 8000, 8000, 7000]]
  ])('%d ms -> %j', (total, delays) => expect(pollDelays(total)).toEqual(delays))
})

describe('listsRange: Sentry lists the range whatever the order of dates', () => {
  const range = { head: HEAD, previous: PREVIOUS, count: 3 }
  const inside = new Set([HEAD, 'c'.repeat(40), 'd'.repeat(40)])
  const inRange = async (id: string) => inside.has(id)

  test.each([
    ['the head commit last, the count git counts', true, { commitCount: 3, lastCommit: { id: HEAD } }],
    [
      'another commit of the range last (a rebase: head is not the newest by author date)',
      true,
      { commitCount: 3, lastCommit: { id: 'c'.repeat(40) } }
    ],
    ['a stale count of an earlier fetch (a tag moved on)', false, { commitCount: 2, lastCommit: { id: 'c'.repeat(40) } }],
    ['the last commit of another range', false, { commitCount: 3, lastCommit: { id: 'e'.repeat(40) } }],
    ['no commits yet', false, { commitCount: 0, lastCommit: null }]
  ])('%s -> %s', async (_name, expected, release) => expect(await listsRange(release, range, inRange)).toBe(expected))

  test('a range longer than 50 commits: Sentry may fetch only 50 to 500 of them (its version decides), never more than git counts', async () => {
    const long = { ...range, count: 600 }
    const answers = await Promise.all(
      [49, 50, 500, 600, 601].map(count => listsRange({ commitCount: count, lastCommit: { id: HEAD } }, long, inRange))
    )
    expect(answers).toEqual([false, true, true, true, false])
  })

  test("without a count (first release: Sentry chooses the start), lastCommit in head's history is enough", async () => {
    expect(await listsRange({ commitCount: 20, lastCommit: { id: 'd'.repeat(40) } }, { head: HEAD }, inRange)).toBe(true)
  })
})

describe('gitRangeCheck', () => {
  test('in the range: head reaches it and previous does not; a short head SHA matches the full id', async () => {
    const ancestors: Record<string, string[]> = { [HEAD]: [HEAD, 'c'.repeat(40), PREVIOUS], [PREVIOUS]: [PREVIOUS] }
    const git = { isAncestor: async (ancestor: string, descendant: string) => ancestors[descendant]?.includes(ancestor) ?? false }
    const check = gitRangeCheck(git, { head: HEAD, previous: PREVIOUS })
    expect([await check('c'.repeat(40)), await check(PREVIOUS), await check('f'.repeat(40))]).toEqual([true, false, false])
    const noGit = { isAncestor: async () => Promise.reject(new Error('not a git checkout')) }
    expect(await gitRangeCheck(noGit, { head: 'bbbbbbb' })(HEAD)).toBe(true)
    expect(await gitRangeCheck(noGit, { head: 'bbbbbbb' })('c'.repeat(40))).toBe(false)
  })
})

describe('waitForCommits', () => {
  const sleep = jest.fn((_ms: number) => Promise.resolve())
  const range = { head: HEAD, previous: PREVIOUS, count: 2 }
  const plan = buildPlan(tagPushPlanInputs({ range }))
  /** A release answer as Sentry sends it (releaseAnswer checks version and counts). */
  const answer = (fields: Record<string, unknown>) => ({ version: 'v1.2.0', deployCount: 0, ...fields })
  const inRange = async (id: string) => id === HEAD || id === 'c'.repeat(40)

  test('polls GET on the release until it lists the range: the count git counts, lastCommit in the range', async () => {
    const answers = [answer({ commitCount: 0 }), answer({ commitCount: 2, lastCommit: { id: 'c'.repeat(40) } })]
    const send = jest.fn(async () => answers.shift() ?? {})
    sleep.mockClear()
    const waited = await waitForCommits(plan, { commitCount: 0 }, send, 10_000, inRange, { sleep })
    expect(waited).toEqual({ release: answer({ commitCount: 2, lastCommit: { id: 'c'.repeat(40) } }), listed: true })
    expect(send.mock.calls).toEqual([[{ method: 'GET', path: plan.update.path }], [{ method: 'GET', path: plan.update.path }]])
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([1000, 2000])
  })

  test('a stale count (a rerun after the tag moved) is not enough', async () => {
    const stale = { commitCount: 7, lastCommit: { id: HEAD } }
    const answers = [answer(stale), answer({ commitCount: 2, lastCommit: { id: HEAD } })]
    const send = jest.fn(async () => answers.shift() ?? {})
    expect((await waitForCommits(plan, stale, send, 10_000, inRange, { sleep })).release).toEqual(
      answer({ commitCount: 2, lastCommit: { id: HEAD } })
    )
    expect(send).toHaveBeenCalledTimes(2)
  })

  test('time runs out: a warning with both counts, the last answer', async () => {
    const send = jest.fn(async () => answer({ commitCount: 0, n: send.mock.calls.length }))
    core.warning.mockClear()
    expect(await waitForCommits(plan, { commitCount: 0 }, send, 2500, inRange, { sleep })).toEqual({
      release: answer({ commitCount: 0, n: 2 }),
      listed: false
    })
    expect(core.warning).toHaveBeenCalledWith(
      "Sentry did not list the range's commits for v1.2.0 within wait_for_commits (2.5 s): it lists 0 (git counts 2 in the range); commitCount may still change.",
      { title: 'wait_for_commits' }
    )
  })

  test('no request: 0 seconds, the range already listed, local commit data (set at once), an empty range (nothing comes)', async () => {
    const send = jest.fn(async () => ({}))
    expect(await waitForCommits(plan, { commitCount: 0 }, send, 0, inRange, { sleep })).toEqual({
      release: { commitCount: 0 },
      listed: false
    })
    const listed = { commitCount: 2, lastCommit: { id: HEAD } }
    expect(await waitForCommits(plan, listed, send, 10_000, inRange, { sleep })).toEqual({ release: listed, listed: true })
    expect(await waitForCommits({ ...plan, commitSource: 'local' }, { commitCount: 0 }, send, 10_000, inRange, { sleep })).toEqual({
      release: { commitCount: 0 }
    })
    const empty = { ...plan, range: { head: HEAD, previous: HEAD, count: 0 } }
    expect(await waitForCommits(empty, { commitCount: 0 }, send, 10_000, inRange, { sleep })).toEqual({ release: { commitCount: 0 } })
    expect(send).not.toHaveBeenCalled()
  })
})
