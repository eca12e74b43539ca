import { describe, expect, test } from '@jest/globals'
import type { Git } from '../../src/git.js'
import { deepenSteps, findWithHistory, historyFetcher } from '../../src/shallow.js'

describe('deepenSteps', () => {
  test('doubling steps until their sum reaches the bound', () => {
    expect(deepenSteps()).toEqual([50, 100, 200, 400, 800, 1600, 3200, 6400])
    expect(deepenSteps(10, 30)).toEqual([10, 20])
  })
})

/** A fake checkout: shallow until `deepen` has been asked for `fullAfter` commits. */
function fakeGit(fullAfter: number, origin = true): { git: Git; calls: string[] } {
  const calls: string[] = []
  let deepened = 0
  const git = {
    hasRemote: async (name: string) => origin && name === 'origin',
    listTags: async () => (calls.includes('fetchTags') ? ['v1', 'v2'] : ['v2']),
    fetchTags: async () => void calls.push('fetchTags'),
    deepen: async (_remote: string, commits: number) => {
      calls.push(`deepen ${commits}`)
      deepened += commits
    },
    isShallow: async () => deepened < fullAfter,
    countCommits: async () => 1 + deepened
  } as unknown as Git
  return { git, calls }
}

describe('historyFetcher', () => {
  test('tags first, then growing deepen steps, each logged, until found', async () => {
    const { git, calls } = fakeGit(1_000_000)
    const log: string[] = []
    const fetcher = historyFetcher(git, () => 'h'.repeat(40), line => log.push(line))
    let asked = 0
    expect(await findWithHistory(fetcher, async () => (++asked === 4 ? 'found' : undefined))).toBe('found')
    expect(calls).toEqual(['fetchTags', 'deepen 50', 'deepen 100'])
    expect(log).toEqual([
      'Fetched tags from origin: 1 new.',
      'Fetched 50 more commits of history from origin: the checkout is shallow (51 commits of history now).',
      'Fetched 100 more commits of history from origin: the checkout is shallow (151 commits of history now).'
    ])
  })

  test('stops when the history is complete, at the bound, or without origin', async () => {
    const complete = fakeGit(120)
    expect(await findWithHistory(historyFetcher(complete.git, () => undefined, () => {}), async () => undefined)).toBeUndefined()
    expect(complete.calls).toEqual(['fetchTags', 'deepen 50', 'deepen 100'])
    const bounded = fakeGit(1_000_000)
    await findWithHistory(historyFetcher(bounded.git, () => undefined, () => {}), async () => undefined)
    expect(bounded.calls).toHaveLength(1 + 8)
    const noOrigin = fakeGit(1_000_000, false)
    await findWithHistory(historyFetcher(noOrigin.git, () => undefined, () => {}), async () => undefined)
    expect(noOrigin.calls).toEqual([])
  })
})
