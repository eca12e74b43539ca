import { describe, expect, test } from '@jest/globals'
import type { Git } from '../../src/core/ports.js'
import { deepenSteps, escapeGlob, findWithHistory, historyFetcher } from '../../src/steps/shallow.js'

describe('deepenSteps', () => {
  test('doubling steps until their sum reaches the bound', () => {
    expect(deepenSteps()).toEqual([50, 100, 200, 400, 800, 1600, 3200, 6400])
    expect(deepenSteps(10, 30)).toEqual([10, 20])
  })
})

test('escapeGlob: a name that matches only itself', () => expect(escapeGlob('a*[b]?\\1')).toBe('a\\*\\[b\\]\\?\\\\1'))

/**
 * A fake shallow checkout of commit 'h' with local tag v3; origin has v1 (commit 'c120', 120 commits back), v2 ('c40')
 * and v3. Commit 'cN' is present once the history is deeper than N. Shallow until `deepen` asked for `fullAfter` commits.
 */
function fakeGit({ fullAfter = 1_000_000, origin = true, failOn = '' } = {}): { git: Git; calls: string[] } {
  const calls: string[] = []
  let depth = 1
  const remote = new Map([
    ['v1', 'c120'],
    ['v2', 'c40'],
    ['v3', 'h']
  ])
  const fail = (call: string) => {
    calls.push(call)
    if (call.startsWith(failOn || '-')) throw new Error("git fetch failed in /w: fatal: unable to access 'https://github.com/acme/web/'")
  }
  const git = {
    hasRemote: async (name: string) => origin && name === 'origin',
    listTags: async () => ['v3', ...calls.filter(call => call.startsWith('fetchTags')).flatMap(call => call.split(' ').slice(1))],
    remoteTags: async (_remote: string, pattern: string) => {
      fail(`remoteTags ${pattern}`)
      return pattern === 'v*' ? remote : new Map()
    },
    presentCommits: async (ids: string[]) => new Set(ids.filter(id => id === 'h' || Number(id.slice(1)) < depth)),
    fetchTags: async (_remote: string, tags: string[]) => fail(`fetchTags ${tags.join(' ')}`),
    deepen: async (_remote: string, commit: string, commits: number) => {
      fail(`deepen ${commit} ${commits}`)
      depth += commits
    },
    isShallow: async () => depth - 1 < fullAfter,
    commitOf: async (revision: string) => (revision === 'HEAD' ? 'h' : undefined),
    countCommits: async () => depth
  } as unknown as Git
  return { git, calls }
}

const untilFetched = (git: Git, tag: string) => async () => ((await git.listTags()).includes(tag) ? tag : undefined)

describe('historyFetcher', () => {
  test('the followed tags are listed first, then head deepens in growing steps; tags are fetched once their commits arrive', async () => {
    const { git, calls } = fakeGit()
    const log: string[] = []
    const fetcher = historyFetcher(
      git,
      () => 'h',
      line => log.push(line)
    )
    expect(await findWithHistory(fetcher, untilFetched(git, 'v1'), 'v*')).toBe('v1')
    expect(calls).toEqual(['remoteTags v*', 'deepen h 50', 'fetchTags v2', 'deepen h 100', 'fetchTags v1'])
    expect(fetcher.remoteTags('v*')).toEqual(['v1', 'v2', 'v3'])
    expect(log).toEqual([
      "Listed 3 tag(s) matching 'v*' on origin.",
      'Fetched 50 more commits of history from origin: the checkout is shallow (51 commits of history now).',
      'Fetched 1 tag(s) from origin: v2.',
      'Fetched 100 more commits of history from origin: the checkout is shallow (151 commits of history now).',
      'Fetched 1 tag(s) from origin: v1.'
    ])
  })

  test('a tag pattern is followed only when the checkout cannot answer; without a head, HEAD is deepened', async () => {
    const { git, calls } = fakeGit()
    const fetcher = historyFetcher(
      git,
      () => undefined,
      () => {}
    )
    expect(await findWithHistory(fetcher, async () => 'here', 'v*')).toBe('here')
    expect(await findWithHistory(fetcher, async () => (calls.length > 0 ? 'after one step' : undefined))).toBe('after one step')
    expect(calls).toEqual(['deepen h 50'])
    expect(fetcher.remoteTags('v*')).toBeUndefined()
  })

  test('stops when the history is complete, at the bound, or without origin', async () => {
    const complete = fakeGit({ fullAfter: 120 })
    expect(
      await findWithHistory(
        historyFetcher(
          complete.git,
          () => 'h',
          () => {}
        ),
        async () => undefined
      )
    ).toBeUndefined()
    expect(complete.calls).toEqual(['deepen h 50', 'deepen h 100'])
    const bounded = fakeGit()
    await findWithHistory(
      historyFetcher(
        bounded.git,
        () => 'h',
        () => {}
      ),
      async () => undefined
    )
    expect(bounded.calls.filter(call => call.startsWith('deepen'))).toHaveLength(8)
    const noOrigin = fakeGit({ origin: false })
    await findWithHistory(
      historyFetcher(
        noOrigin.git,
        () => 'h',
        () => {}
      ),
      async () => undefined,
      'v*'
    )
    expect(noOrigin.calls).toEqual([])
  })

  test.each(['remoteTags', 'deepen', 'fetchTags'])('a failed %s is logged and ends fetching', async failOn => {
    const { git, calls } = fakeGit({ failOn })
    const log: string[] = []
    const fetcher = historyFetcher(
      git,
      () => 'h',
      line => log.push(line)
    )
    expect(await findWithHistory(fetcher, async () => undefined, 'v*')).toBeUndefined()
    expect(calls.at(-1)?.startsWith(failOn)).toBe(true)
    expect(log.at(-1)).toBe(
      "Cannot fetch from origin, continuing with the history at hand: git fetch failed in /w: fatal: unable to access 'https://github.com/acme/web/'"
    )
    expect(await fetcher.more()).toBe(false)
  })
})
