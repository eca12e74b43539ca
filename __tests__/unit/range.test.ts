import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import * as core from '../../__fixtures__/core.js'
import type { Git } from '../../src/core/ports.js'
import { settingsWith } from '../helpers/fixtures.js'
import { makeRepo, type TestRepo } from '../../harness/git-repo.js'

jest.unstable_mockModule('@actions/core', () => core)
const { createGit } = await import('../../src/io/git.js')
const { defaultTagPattern, resolveRange } = await import('../../src/steps/range.js')

// History: c1 (v1.0.0) - c2 (web@1.0.0) - c3 (v1.1.0, annotated) - c4 (v1.2.0, web@1.1.0)
let repo: TestRepo
let git: Git
const c: string[] = []
let annotatedObject: string

beforeAll(async () => {
  repo = await makeRepo()
  git = createGit(repo.dir)
  c.push(await repo.commit('one'))
  await repo.tag('v1.0.0')
  c.push(await repo.commit('two'))
  await repo.tag('web@1.0.0', true)
  c.push(await repo.commit('three'))
  annotatedObject = await repo.tag('v1.1.0', true)
  c.push(await repo.commit('four'))
  await repo.tag('v1.2.0')
  await repo.tag('web@1.1.0')
})
afterAll(() => repo.remove())

const tagTarget = (tag: string) => ({ kind: 'tag' as const, tag, sha: '' })

describe('defaultTagPattern', () => {
  test.each([
    ['web@1.4.0', 'web@*'],
    ['v2.0.0', 'v*'],
    ['1.2.3', '*'],
    ['release-2024.01', 'release-*'],
    ['stable', 'stable*'],
    ['a*[b]?1', 'a\\*\\[b\\]\\?*']
  ])('%s -> %s', (tag, pattern) => expect(defaultTagPattern(tag)).toBe(pattern))
})

describe('resolveRange, auto mode on a real repository', () => {
  test('lightweight tag: head is its commit, previous the nearest earlier v* tag peeled', async () => {
    expect(await resolveRange(settingsWith(), tagTarget('v1.2.0'), git)).toEqual({
      head: c[3],
      previous: c[2],
      count: 1,
      previousTag: 'v1.1.0',
      tagPattern: 'v*'
    })
  })

  test('with step debug logging: the tag candidates, the nearest one and the chosen range', async () => {
    core.debug.mockClear()
    core.isDebug.mockReturnValueOnce(true)
    await resolveRange(settingsWith(), tagTarget('v1.2.0'), git)
    const lines = core.debug.mock.calls.map(([line]) => line).filter(line => !line.startsWith('git '))
    expect(lines).toEqual([
      `Head commit: ${c[3]} (tag v1.2.0).`,
      "Tags matching 'v*' in the checkout: v1.0.0, v1.1.0, v1.2.0.",
      `Nearest tag matching 'v*' reachable from ${c[3]}^: v1.1.0.`,
      `Commit range: after ${c[2]} (v1.1.0) up to ${c[3]} (1 commit).`
    ])
    // Every git command shows too, with its exit code.
    const describeLine = expect.stringMatching(/^git describe --tags .* -> exit 0 in \d+ ms: v1\.1\.0$/)
    expect(core.debug.mock.calls.map(([line]) => line)).toContainEqual(describeLine)
  })

  test('annotated tag: head is the commit, not the tag object; other families are skipped', async () => {
    const range = await resolveRange(settingsWith(), tagTarget('v1.1.0'), git)
    expect(annotatedObject).not.toBe(c[2])
    expect(range).toEqual({ head: c[2], previous: c[0], count: 2, previousTag: 'v1.0.0', tagPattern: 'v*' })
  })

  test('first release of a pattern: no previous', async () => {
    expect(await resolveRange(settingsWith(), tagTarget('v1.0.0'), git)).toEqual({ head: c[0], tagPattern: 'v*' })
  })

  test('the tag family comes from the tag, or tag_pattern', async () => {
    expect(await resolveRange(settingsWith(), tagTarget('web@1.1.0'), git)).toMatchObject({ previous: c[1], previousTag: 'web@1.0.0' })
    expect(await resolveRange(settingsWith({ tagPattern: 'web@*' }), tagTarget('v1.2.0'), git)).toMatchObject({
      previous: c[1],
      previousTag: 'web@1.0.0',
      tagPattern: 'web@*'
    })
  })

  test('a commit target looks for any earlier tag', async () => {
    expect(await resolveRange(settingsWith(), { kind: 'commit', sha: c[3] }, git)).toEqual({
      head: c[3],
      previous: c[2],
      count: 1,
      previousTag: 'v1.1.0',
      tagPattern: '*'
    })
  })

  test('commit and previous_commit override with any revision', async () => {
    const settings = settingsWith({ commit: 'v1.1.0', previousCommit: 'v1.0.0' })
    expect(await resolveRange(settings, tagTarget('v1.2.0'), git)).toEqual({ head: c[2], previous: c[0], count: 2 })
  })

  test('input values never become git options', async () => {
    await expect(resolveRange(settingsWith({ commit: '--output=/tmp/pwned' }), tagTarget('v1.2.0'), git)).rejects.toThrow(
      "Input 'commit': '--output=/tmp/pwned' is not a commit in the checkout"
    )
    expect(await git.nearestTag(c[3], '--contains')).toBeUndefined()
  })

  test('a tag missing from the checkout fails with what to do', async () => {
    await expect(resolveRange(settingsWith(), tagTarget('v9.9.9'), git)).rejects.toThrow(
      "Tag 'v9.9.9' is not in the git checkout: run actions/checkout (fetch-depth: 0) first, or set working_directory"
    )
  })

  test('a shallow clone without tags: tags and history are fetched from origin', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sra-shallow-'))
    try {
      await repo.git('clone', '--quiet', '--depth=1', '--no-tags', '--branch=v1.2.0', `file://${repo.dir}`, dir)
      const log: string[] = []
      const range = await resolveRange(settingsWith(), tagTarget('v1.2.0'), createGit(dir), line => log.push(line))
      expect(range).toEqual({ head: c[3], previous: c[2], count: 1, previousTag: 'v1.1.0', tagPattern: 'v*' })
      expect(log).toEqual([
        "Listed 3 tag(s) matching 'v*' on origin.",
        'Fetched 50 more commits of history from origin: the checkout is shallow (4 commits of history now).',
        'Fetched 2 tag(s) from origin: v1.0.0, v1.1.0.'
      ])
      expect(await createGit(dir).listTags()).toEqual(['v1.0.0', 'v1.1.0', 'v1.2.0'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('a commit deeper than the shallow clone: finding it deepens to the root, and the tags are still fetched', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sra-shallow-'))
    try {
      await repo.git('clone', '--quiet', '--depth=1', '--no-tags', `file://${repo.dir}`, dir)
      const log: string[] = []
      const range = await resolveRange(settingsWith(), { kind: 'commit', sha: c[2] }, createGit(dir), line => log.push(line))
      expect(range).toEqual({ head: c[2], previous: c[1], count: 1, previousTag: 'web@1.0.0', tagPattern: '*' })
      expect(log).toEqual([
        'Fetched 50 more commits of history from origin: the checkout is shallow (4 commits of history now).',
        "Listed 5 tag(s) matching '*' on origin.",
        'Fetched 5 tag(s) from origin: v1.0.0, v1.1.0, v1.2.0, web@1.0.0, web@1.1.0.'
      ])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('after a merge, previous is the most recently committed tagged ancestor, not the one fewest commits away', async () => {
    // main: m1 - m2 - m3 - m4 (v1.0.0, 0 commits from the merge's first parent); side from m1: s1 (v1.1.0, committed
    // after m4). git describe's default (up to 10 candidates, fewest commits between) picks v1.0.0; --candidates=1
    // takes the first tag met in git's newest-first walk: v1.1.0.
    const merged = await makeRepo()
    try {
      const m1 = await merged.commit('m1')
      for (const message of ['m2', 'm3', 'm4']) await merged.commit(message)
      await merged.tag('v1.0.0')
      await merged.git('checkout', '--quiet', '-b', 'side', m1)
      const s1 = await merged.commit('s1')
      await merged.tag('v1.1.0')
      await merged.git('checkout', '--quiet', 'main')
      await merged.git('merge', '--quiet', '--no-ff', '--no-commit', 'side')
      await merged.commit('merge')
      const head = await merged.commit('head')
      await merged.tag('v1.2.0')
      expect(await resolveRange(settingsWith(), tagTarget('v1.2.0'), createGit(merged.dir))).toEqual({
        head,
        previous: s1,
        count: 5,
        previousTag: 'v1.1.0',
        tagPattern: 'v*'
      })
    } finally {
      await merged.remove()
    }
  })

  test('outside a repository git fails naming working_directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sra-nogit-'))
    await expect(resolveRange(settingsWith(), tagTarget('v1.0.0'), createGit(dir))).rejects.toThrow(
      `Input 'working_directory': ${dir} is not a git checkout (run actions/checkout first)`
    )
    await rm(dir, { recursive: true, force: true })
  })
})

describe('resolveRange, manual and skip modes use no git', () => {
  const noGit: Git = {
    commitOf: () => Promise.reject(new Error('git used')),
    nearestTag: () => Promise.reject(new Error('git used')),
    isShallow: () => Promise.reject(new Error('git used')),
    isAncestor: () => Promise.reject(new Error('git used')),
    countCommits: () => Promise.reject(new Error('git used')),
    readCommits: () => Promise.reject(new Error('git used')),
    hasRemote: () => Promise.reject(new Error('git used')),
    listTags: () => Promise.reject(new Error('git used')),
    remoteTags: () => Promise.reject(new Error('git used')),
    presentCommits: () => Promise.reject(new Error('git used')),
    fetchTags: () => Promise.reject(new Error('git used')),
    deepen: () => Promise.reject(new Error('git used')),
    fetchCommit: () => Promise.reject(new Error('git used'))
  }

  test('the SHAs given, or the run commit', async () => {
    const settings = settingsWith({ setCommits: 'manual', commit: 'abc1234', previousCommit: 'def5678' })
    expect(await resolveRange(settings, tagTarget('v1'), noGit)).toEqual({ head: 'abc1234', previous: 'def5678' })
    const skip = settingsWith({ setCommits: 'skip' })
    expect(await resolveRange(skip, { kind: 'tag', tag: 'v1', sha: c[3] }, noGit)).toEqual({ head: c[3], previous: undefined })
  })

  test.each([
    [{ commit: 'main' }, "Input 'commit': 'main' must be a commit SHA (4 to 64 hex digits) unless set_commits is auto"],
    [{ commit: 'abc1234', previousCommit: 'HEAD~1' }, "Input 'previous_commit': 'HEAD~1' must be a commit SHA"],
    [{}, "Input 'commit': is required: GITHUB_SHA is not set"]
  ])('rejects %j', async (overrides, message) => {
    await expect(resolveRange(settingsWith({ setCommits: 'manual', ...overrides }), tagTarget('v1'), noGit)).rejects.toThrow(message)
  })
})
