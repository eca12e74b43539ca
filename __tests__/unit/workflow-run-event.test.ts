import { describe, expect, test } from '@jest/globals'
import { releaseTarget } from '../../src/core/event.js'
import { fetchEventGitFacts, fetchHeadShaAndHeadBranchTag } from '../../src/steps/event-git-facts.js'
import type { GitHubContext } from '../../src/core/context.js'
import type { Git } from '../../src/core/ports.js'
import { examplePayload } from '../../harness/events.js'
import { GITHUB_URLS } from '../helpers/fixtures.js'

const GITHUB_SHA = 'a'.repeat(40)
const HEAD_SHA = 'c'.repeat(40)
const ELSEWHERE = 'd'.repeat(40)

/** The real completed workflow_run example, for a run of `headBranch` at HEAD_SHA. */
function workflowRun(headBranch: unknown, eventName = 'workflow_run'): GitHubContext {
  const payload = examplePayload('workflow_run', p => p.action === 'completed')
  Object.assign(payload.workflow_run as object, { head_branch: headBranch, head_sha: HEAD_SHA })
  return { eventName, payload, ref: 'refs/heads/main', sha: GITHUB_SHA, repository: 'acme/web', ...GITHUB_URLS }
}

describe('what a workflow_run releases', () => {
  test('head_branch names a tag at head_sha (a run triggered by a tag push): the tag', () => {
    expect(releaseTarget(workflowRun('v1.2.0'), { headBranchTagCommit: HEAD_SHA })).toEqual({ kind: 'tag', tag: 'v1.2.0', sha: HEAD_SHA })
    expect(releaseTarget(workflowRun('v1.2.0'), { headBranchTagCommit: HEAD_SHA.toUpperCase() })).toMatchObject({ kind: 'tag' })
  })

  test('a tag of that name at another commit: head_sha, not the tag', () => {
    expect(releaseTarget(workflowRun('v1.2.0'), { headBranchTagCommit: ELSEWHERE })).toEqual({ kind: 'commit', sha: HEAD_SHA })
  })

  test('a branch (no tag of that name): head_sha, never GITHUB_SHA', () => {
    expect(releaseTarget(workflowRun('main'), {})).toEqual({ kind: 'commit', sha: HEAD_SHA })
    expect(releaseTarget(workflowRun(null), {})).toEqual({ kind: 'commit', sha: HEAD_SHA })
  })

  test('a head_branch with revision syntax is never a tag', () => {
    for (const name of ['v1^', 'v1~1', 'a..b', 'v1@{1}', 'v 1', 'v1:x']) {
      expect(releaseTarget(workflowRun(name), { headBranchTagCommit: HEAD_SHA })).toEqual({ kind: 'commit', sha: HEAD_SHA })
    }
  })
})

/**
 * A Git with `local` tags (name -> commit) and origin's `fetched` ones; commits present: `present` (default HEAD_SHA),
 * and any fetched by SHA. Records every call, except commitOf(HEAD_SHA) when present (the usual checkout).
 */
function fakeGit(
  local: Record<string, string>,
  options: { shallow: boolean; origin: boolean; fetched?: Record<string, string>; present?: string[] }
) {
  const calls: string[] = []
  let tags = { ...local }
  const present = [...(options.present ?? [HEAD_SHA])]
  const git = {
    async commitOf(revision: string) {
      const match = /^refs\/tags\/(.*)$/.exec(revision)
      if (!match && present.includes(revision)) return revision
      calls.push(`commitOf ${revision}`)
      return match ? tags[match[1]] : undefined
    },
    async fetchCommit(remote: string, commit: string, depth?: number) {
      calls.push(`fetchCommit ${remote} ${commit} ${depth}`)
      present.push(commit)
    },
    async isShallow() {
      calls.push('isShallow')
      return options.shallow
    },
    async hasRemote(name: string) {
      calls.push(`hasRemote ${name}`)
      return options.origin
    },
    async listTags() {
      return Object.keys(tags)
    },
    async remoteTags(remote: string, pattern: string) {
      calls.push(`remoteTags ${remote} ${pattern}`)
      return new Map(Object.entries(options.fetched ?? {}))
    },
    async presentCommits(ids: string[]) {
      return new Set(ids.filter(id => present.includes(id)))
    },
    async fetchTags(remote: string, names: string[]) {
      calls.push(`fetchTags ${remote} ${names.join(' ')}`)
      tags = { ...tags, ...Object.fromEntries(names.map(name => [name, options.fetched?.[name] ?? ''])) }
    }
  } as Partial<Git> as Git
  return { git, calls }
}

/** A shallow checkout's look-up of tag v1.2.0 at a present commit: listed on origin, fetched alone, looked up again. */
const SHALLOW_TAG_FETCH = [
  'commitOf refs/tags/v1.2.0',
  'isShallow',
  'hasRemote origin',
  'remoteTags origin v1.2.0',
  'fetchTags origin v1.2.0',
  'commitOf refs/tags/v1.2.0'
]
const SHALLOW_TAG_FETCH_LOG = ["Listed 1 tag(s) matching 'v1.2.0' on origin.", 'Fetched 1 tag(s) from origin: v1.2.0.']

describe('fetchHeadShaAndHeadBranchTag', () => {
  const log = () => undefined

  test('looks the tag up as refs/tags/<head_branch>, even a name that looks like an option', async () => {
    const { git, calls } = fakeGit({ 'v1.2.0': HEAD_SHA }, { shallow: false, origin: true })
    expect(await fetchHeadShaAndHeadBranchTag(workflowRun('v1.2.0'), git, log)).toBe(HEAD_SHA)
    expect(await fetchHeadShaAndHeadBranchTag(workflowRun('--upload-pack=x'), git, log)).toBeUndefined()
    expect(calls).toEqual(['commitOf refs/tags/v1.2.0', 'commitOf refs/tags/--upload-pack=x', 'isShallow'])
  })

  test('a complete checkout without the tag: no fetch', async () => {
    const { git, calls } = fakeGit({}, { shallow: false, origin: true, fetched: { main: HEAD_SHA } })
    expect(await fetchHeadShaAndHeadBranchTag(workflowRun('main'), git, log)).toBeUndefined()
    expect(calls).toEqual(['commitOf refs/tags/main', 'isShallow'])
  })

  test('a shallow checkout (no tags): only that tag is listed and fetched from origin, then looked up again', async () => {
    const { git, calls } = fakeGit({}, { shallow: true, origin: true, fetched: { 'v1.2.0': HEAD_SHA } })
    const lines: string[] = []
    expect(await fetchHeadShaAndHeadBranchTag(workflowRun('v1.2.0'), git, line => lines.push(line))).toBe(HEAD_SHA)
    expect(calls).toEqual(SHALLOW_TAG_FETCH)
    expect(lines).toEqual(SHALLOW_TAG_FETCH_LOG)
  })

  test('a shallow checkout, the tag at a commit not checked out: not fetched, no deepening', async () => {
    const { git, calls } = fakeGit({}, { shallow: true, origin: true, fetched: { 'v1.2.0': 'd'.repeat(40) } })
    expect(await fetchHeadShaAndHeadBranchTag(workflowRun('v1.2.0'), git, log)).toBeUndefined()
    expect(calls).toEqual([
      'commitOf refs/tags/v1.2.0',
      'isShallow',
      'hasRemote origin',
      'remoteTags origin v1.2.0',
      'commitOf refs/tags/v1.2.0'
    ])
  })

  test('a shallow checkout without origin: no tag, nothing fetched', async () => {
    const { git, calls } = fakeGit({}, { shallow: true, origin: false })
    expect(await fetchHeadShaAndHeadBranchTag(workflowRun('v1.2.0'), git, log)).toBeUndefined()
    expect(calls).toEqual(['commitOf refs/tags/v1.2.0', 'isShallow', 'hasRemote origin'])
  })

  test('other events and revision syntax: git is not asked about tags', async () => {
    const { git, calls } = fakeGit({ 'v1.2.0': HEAD_SHA }, { shallow: true, origin: true })
    expect(await fetchEventGitFacts(workflowRun('v1.2.0', 'push'), git)).toEqual({ headBranchTagCommit: undefined })
    expect(await fetchHeadShaAndHeadBranchTag(workflowRun('v1.2.0^'), git, log)).toBeUndefined()
    expect(calls).toEqual([])
  })

  test('head_sha not in the shallow checkout (the default branch at depth 1): that commit alone, then the tag at it', async () => {
    const { git, calls } = fakeGit({}, { shallow: true, origin: true, fetched: { 'v1.2.0': HEAD_SHA }, present: [] })
    const lines: string[] = []
    expect(await fetchHeadShaAndHeadBranchTag(workflowRun('v1.2.0'), git, line => lines.push(line))).toBe(HEAD_SHA)
    expect(calls).toEqual([
      `commitOf ${HEAD_SHA}`,
      'hasRemote origin',
      'isShallow',
      `fetchCommit origin ${HEAD_SHA} 1`,
      ...SHALLOW_TAG_FETCH
    ])
    expect(lines).toEqual([
      `Fetched commit ${HEAD_SHA} from origin (without history): the checkout did not have it.`,
      ...SHALLOW_TAG_FETCH_LOG
    ])
  })

  test('head_sha not in a complete checkout: fetched with its missing history; a branch needs no tag fetch', async () => {
    const { git, calls } = fakeGit({}, { shallow: false, origin: true, present: [] })
    expect(await fetchHeadShaAndHeadBranchTag(workflowRun('main'), git, log)).toBeUndefined()
    expect(calls).toEqual([
      `commitOf ${HEAD_SHA}`,
      'hasRemote origin',
      'isShallow',
      `fetchCommit origin ${HEAD_SHA} undefined`,
      'commitOf refs/tags/main',
      'isShallow'
    ])
  })

  test('head_sha cannot be fetched: logged, and the run goes on (the range reports the missing commit)', async () => {
    const { git } = fakeGit({}, { shallow: true, origin: true, present: [] })
    git.fetchCommit = () => Promise.reject(new Error('git fetch failed in /w: fatal: remote error: upload-pack: not our ref'))
    const lines: string[] = []
    expect(await fetchHeadShaAndHeadBranchTag(workflowRun('v1.2.0'), git, line => lines.push(line))).toBeUndefined()
    expect(lines[0]).toBe(
      `Cannot fetch commit ${HEAD_SHA} from origin: git fetch failed in /w: fatal: remote error: upload-pack: not our ref`
    )
  })

  test('a head_sha that is not a full SHA is never fetched', async () => {
    const { git, calls } = fakeGit({}, { shallow: true, origin: true, present: [] })
    const context = workflowRun(null)
    Object.assign(context.payload.workflow_run as object, { head_sha: '--upload-pack=x' })
    expect(await fetchHeadShaAndHeadBranchTag(context, git, log)).toBeUndefined()
    expect(calls).toEqual([])
  })
})
