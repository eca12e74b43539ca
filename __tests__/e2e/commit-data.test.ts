import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { pushTagIn, seedWithReleases } from '../helpers/e2e-fixture.js'
import { makeRepo, type TestRepo } from '../helpers/git-repo.js'
import { type ActionRun, annotations } from '../helpers/run-action.js'

/**
 * A two-component repository with file changes, a merge and a rename:
 * c0 (v1.0.0, web@1.0.0, api@1.0.0: adds apps/web/a.ts, services/api/x.ts) - c1 (web) - side (web, merged)
 * - c3 (api) - merge - c4 (v1.1.0, web@1.1.0, api@1.1.0: renames apps/web/a.ts -> apps/web/b.ts)
 */
let repo: TestRepo
let emulator: Emulator
const c: Record<'c0' | 'c1' | 'side' | 'c3' | 'merge' | 'c4', string> = { c0: '', c1: '', side: '', c3: '', merge: '', c4: '' }
const temps: string[] = []

async function change(files: Record<string, string>, message: string): Promise<string> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(repo.dir, file)), { recursive: true })
    await writeFile(path.join(repo.dir, file), content)
  }
  await repo.git('add', '--all')
  return repo.commit(message)
}

beforeAll(async () => {
  repo = await makeRepo()
  c.c0 = await change({ 'apps/web/a.ts': '1\n', 'services/api/x.ts': '1\n' }, 'feat: first')
  for (const tag of ['v1.0.0', 'web@1.0.0', 'api@1.0.0']) await repo.tag(tag)
  c.c1 = await change({ 'apps/web/a.ts': '2\n' }, 'feat(web): second')
  await repo.git('checkout', '--quiet', '-b', 'side')
  c.side = await change({ 'apps/web/side.ts': 's\n' }, 'feat(web): side')
  await repo.git('checkout', '--quiet', 'main')
  c.c3 = await change({ 'services/api/x.ts': '2\n' }, 'fix(api): third')
  await repo.git('merge', '--quiet', '--no-ff', '--no-commit', 'side')
  c.merge = await repo.commit("Merge branch 'side'")
  await repo.git('mv', 'apps/web/a.ts', 'apps/web/b.ts')
  c.c4 = await repo.commit('refactor(web): rename a to b')
  for (const tag of ['v1.1.0', 'web@1.1.0', 'api@1.1.0', 'x1']) await repo.tag(tag)
  emulator = await startEmulator({ git: repo.dir, fetchDelayMs: 10 })
})
afterAll(async () => {
  await emulator.settle()
  await emulator.stop()
  await repo.remove()
  await Promise.all(temps.map(dir => rm(dir, { recursive: true, force: true })))
})
beforeEach(() => emulator.reset(seedWithReleases('v1.0.0', 'v1.1.0', 'web@1.1.0', 'api@1.1.0', 'x1')))

const push = (tag: string, inputs: Record<string, string> = {}, workspace?: string): Promise<ActionRun> =>
  pushTagIn(repo, emulator.url, tag, inputs, {}, workspace)
const bodies = () => emulator.requests.map(request => request.body as Record<string, unknown>)

const commit = (id: string, message: string, timestampMinute: number, patchSet: Array<[string, string]>) => ({
  id,
  repository: 'acme/web',
  message,
  author_name: 'Test Author',
  author_email: 'author@example.com',
  timestamp: `2024-01-01T00:${String(timestampMinute).padStart(2, '0')}:00+00:00`,
  patch_set: patchSet.map(([type, file]) => ({ path: file, type }))
})
const C4 = () => commit(c.c4, 'refactor(web): rename a to b', 6, [['D', 'apps/web/a.ts'], ['A', 'apps/web/b.ts']])
const MERGE = () => commit(c.merge, "Merge branch 'side'", 5, [])
const C3 = () => commit(c.c3, 'fix(api): third', 4, [['M', 'services/api/x.ts']])
const SIDE = () => commit(c.side, 'feat(web): side', 3, [['A', 'apps/web/side.ts']])
const C1 = () => commit(c.c1, 'feat(web): second', 2, [['M', 'apps/web/a.ts']])

async function shallowClone(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sra-shallow-'))
  temps.push(dir)
  await repo.git('clone', '--quiet', '--depth=1', '--no-tags', '--branch=v1.1.0', `file://${repo.dir}`, dir)
  return dir
}

describe('set_commits: local sends the commits from git', () => {
  test('merges and renames in the range: every commit, newest first, rename = D + A, commitCount at once', async () => {
    const run = await push('v1.1.0', { set_commits: 'local' })
    expect(run.code).toBe(0)
    expect(bodies()).toEqual([
      {
        ref: c.c4,
        url: 'https://github.com/acme/web/releases/tag/v1.1.0',
        commits: [C4(), MERGE(), C3(), SIDE(), C1()],
        dateReleased: expect.any(String)
      }
    ])
    expect(run.outputs).toMatchObject({ commitCount: '5', commitsSent: '5', commitRange: `${c.c0}..${c.c4}`, lastCommit: c.c4 })
    expect(annotations(run.stdout)).toEqual([])
    expect(run.summary).toContain('5 commits sent from git')
    expect(run.stdout).not.toContain('Sentry fetches the commits in the background')
  })

  test('first release: initial_depth commits from the head', async () => {
    const run = await push('x1', { set_commits: 'local', initial_depth: '2' })
    expect(run.code).toBe(0)
    expect(bodies()[0].commits).toEqual([C4(), MERGE()])
    expect(run.outputs).toMatchObject({ commitsSent: '2', commitRange: c.c4 })
    expect(annotations(run.stdout)).toEqual([
      ['notice', "No previous commit (no earlier tag matching 'x*' precedes this release): sending up to 2 commits from git (initial_depth)."]
    ])
  })

  test('a dry run prints a summary of the commits, not the list', async () => {
    const run = await push('v1.1.0', { set_commits: 'local', dry_run: 'true', auth_token: '' })
    expect(run.code).toBe(0)
    expect(emulator.requests).toEqual([])
    expect(run.stdout).toContain(
      `"commits": "5 commit(s) from git, newest first: ${c.c4.slice(0, 12)} \\"refactor(web): rename a to b\\" … ${c.c1.slice(0, 12)} \\"feat(web): second\\"; 5 file change(s)"`
    )
    expect(run.outputs.commitsSent).toBe('5')
  })

  test('max_commits keeps the newest, with a warning', async () => {
    const run = await push('v1.1.0', { set_commits: 'local', max_commits: '2' })
    expect(run.code).toBe(0)
    expect(bodies()[0].commits).toEqual([C4(), MERGE()])
    expect(annotations(run.stdout)).toEqual([['warning', 'The range has 5 commits; Sentry gets the newest 2 (raise max_commits to send more).']])
  })
})

describe('monorepo: tag families and paths', () => {
  test.each([
    ['web@1.1.0', 'apps/web/**', () => [C4(), SIDE(), C1()]],
    ['api@1.1.0', 'services/api/**', () => [C3()]]
  ])('%s with paths %s gets only its own commits (auto mode reads them from git)', async (tag, paths, expected) => {
    const run = await push(tag, { paths })
    expect(run.code).toBe(0)
    expect(bodies()).toEqual([expect.objectContaining({ commits: expected() })])
    expect(bodies()[0]).not.toHaveProperty('refs')
    expect(run.outputs).toMatchObject({ release: tag, previousCommit: c.c0, commitsSent: String(expected().length) })
    expect(run.summary).toContain(`commits sent from git, only those touching <code>${paths}</code>`)
  })
})

describe('an empty range', () => {
  test('fails naming the range when ignore_empty is false', async () => {
    const run = await push('v1.1.0', { set_commits: 'local', paths: 'docs/**' })
    expect(run.code).toBe(1)
    expect(annotations(run.stdout)).toEqual([
      [
        'error',
        `Input 'ignore_empty': the commit range ${c.c0.slice(0, 12)}..${c.c4.slice(0, 12)} has no commits touching docs/**; set ignore_empty: true to release it anyway`
      ]
    ])
    expect(emulator.requests).toEqual([])
  })

  test('is a notice and a release without commits when ignore_empty is true', async () => {
    const run = await push('v1.1.0', { set_commits: 'local', paths: 'docs/**', ignore_empty: 'true' })
    expect(run.code).toBe(0)
    expect(bodies()).toEqual([{ ref: c.c4, url: 'https://github.com/acme/web/releases/tag/v1.1.0', dateReleased: expect.any(String) }])
    expect(annotations(run.stdout)).toEqual([
      [
        'notice',
        `The commit range ${c.c0.slice(0, 12)}..${c.c4.slice(0, 12)} has no commits touching docs/** (ignore_empty): the release is updated without commits.`
      ]
    ])
    expect(run.outputs.commitsSent).toBe('0')
  })
})

describe('auto mode without the GitHub integration', () => {
  test('refs are refused as an unknown repository: one warning, then the commits from git', async () => {
    const seed = seedWithReleases('v1.1.0')
    emulator.reset({ ...seed, orgs: seed.orgs.map(org => ({ ...org, repositories: [] })) })
    const run = await push('v1.1.0')
    expect(run.code).toBe(0)
    const [refsPut, commitsPut] = emulator.requests
    expect([refsPut.status, commitsPut.status, emulator.requests.length]).toEqual([400, 200, 2])
    expect(refsPut.body).toMatchObject({ refs: [{ repository: 'acme/web', commit: c.c4, previousCommit: c.c0 }] })
    const { refs, ...rest } = refsPut.body as Record<string, unknown>
    expect(refs).toBeDefined()
    expect(commitsPut.body).toEqual({ ...rest, commits: [C4(), MERGE(), C3(), SIDE(), C1()] })
    const warnings = annotations(run.stdout).filter(([kind]) => kind === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0][1]).toMatch(/^Sentry has no repository 'acme\/web' in org 'acme' \(Invalid repository names\).*GitHub integration/)
    expect(run.outputs).toMatchObject({ commitCount: '5', commitsSent: '5', previousCommit: c.c0 })
  })
})

describe('shallow clones (fetch-depth: 1, no tags)', () => {
  test('tags and history are fetched from origin, and the range is exact', async () => {
    const dir = await shallowClone()
    const run = await push('v1.1.0', { set_commits: 'local' }, dir)
    expect(run.code).toBe(0)
    expect(run.stdout.split('\n').filter(line => /^(Listed|Fetched)/.test(line))).toEqual([
      "Listed 2 tag(s) matching 'v*' on origin.",
      'Fetched 50 more commits of history from origin: the checkout is shallow (6 commits of history now).',
      'Fetched 1 tag(s) from origin: v1.0.0.'
    ])
    expect(bodies()[0].commits).toEqual([C4(), MERGE(), C3(), SIDE(), C1()])
    expect(run.outputs.previousCommit).toBe(c.c0)
  })

  test('refs mode gets the previous tag the same way', async () => {
    const run = await push('v1.1.0', {}, await shallowClone())
    expect(run.code).toBe(0)
    expect(bodies()[0].refs).toEqual([{ repository: 'acme/web', commit: c.c4, previousCommit: c.c0 }])
  })

  const fetchLines = (run: ActionRun): string[] => run.stdout.split('\n').filter(line => /^(Listed|Fetched)/.test(line))

  // Sentry chooses the start of a first release sent as refs: the history behind the head is not needed.
  test('a first release sent as refs fetches no history once origin lists no earlier tag', async () => {
    const run = await push('x1', {}, await shallowClone())
    expect(run.code).toBe(0)
    expect(bodies()[0].refs).toEqual([{ repository: 'acme/web', commit: c.c4 }])
    expect(fetchLines(run)).toEqual(["Listed 1 tag(s) matching 'x1' on origin.", 'Fetched 1 tag(s) from origin: x1.', "Listed 1 tag(s) matching 'x*' on origin."])
  })

  // The fallback sends the commits from git: the action, not Sentry, chose where they start (initial_depth).
  test('a first release falling back to commits from git: history fetched for initial_depth, notice and summary say what was sent', async () => {
    const seed = seedWithReleases('x1')
    emulator.reset({ ...seed, orgs: seed.orgs.map(org => ({ ...org, repositories: [] })) })
    const run = await push('x1', { initial_depth: '2' }, await shallowClone())
    expect(run.code).toBe(0)
    expect(bodies()[1].commits).toEqual([C4(), MERGE()])
    expect(fetchLines(run).slice(-1)).toEqual(['Fetched 50 more commits of history from origin: the checkout is shallow (6 commits of history now).'])
    const notices = annotations(run.stdout).filter(([kind]) => kind === 'notice')
    expect(notices).toEqual([
      ['notice', "No previous commit (no earlier tag matching 'x*' precedes this release): sending up to 2 commits from git (initial_depth)."]
    ])
    expect(run.stdout).toContain(`Release x1 of acme/web: first release, the newest 2 commits up to ${c.c4.slice(0, 12)} (x1) from git (initial_depth).`)
    expect(run.summary).toMatch(/\| Commits \| first release: the newest commits up to .* \(initial_depth\) · 2 commits sent from git \|/)
    expect(run.summary).not.toContain('chosen by Sentry')
    expect(run.outputs).toMatchObject({ commitsSent: '2', commitRange: c.c4 })
  })

  test('still missing (no origin to fetch from): fails naming fetch-depth: 0, or warns with ignore_missing', async () => {
    const dir = await shallowClone()
    await repo.git('-C', dir, 'remote', 'remove', 'origin')
    const failed = await push('v1.1.0', {}, dir)
    expect(failed.code).toBe(1)
    expect(annotations(failed.stdout)).toEqual([
      [
        'error',
        `Cannot find the start of the commit range: no earlier tag matching 'v*' is in the shallow history of ${c.c4}, even after fetching from origin. Use actions/checkout with fetch-depth: 0, or set ignore_missing: true to continue without it.`
      ]
    ])
    expect(emulator.requests).toEqual([])

    const ignored = await push('v1.1.0', { ignore_missing: 'true' }, dir)
    expect(ignored.code).toBe(0)
    expect(bodies()[0].refs).toEqual([{ repository: 'acme/web', commit: c.c4 }])
    expect(annotations(ignored.stdout)[0]).toEqual([
      'warning',
      `Cannot find the start of the commit range: no earlier tag matching 'v*' is in the shallow history of ${c.c4} (ignore_missing: continuing without previousCommit; Sentry chooses the start).`
    ])
  })
})

describe('wait_for_commits', () => {
  let slow: Emulator
  beforeAll(async () => {
    slow = await startEmulator({ git: repo.dir, fetchDelayMs: 1500, seed: seedWithReleases('v1.1.0') })
  })
  afterAll(async () => {
    await slow.settle()
    await slow.stop()
  })
  beforeEach(() => slow.reset(seedWithReleases('v1.1.0')))

  test('polls the release until Sentry has fetched the commits', async () => {
    const run = await pushTagIn(repo, slow.url, 'v1.1.0', { wait_for_commits: '20' })
    expect(run.code).toBe(0)
    const calls = slow.requests.map(({ method, path: url }) => `${method} ${url}`)
    expect(calls[0]).toBe('PUT /api/0/organizations/acme/releases/v1.1.0/')
    expect(calls.slice(1)).toEqual(Array(calls.length - 1).fill('GET /api/0/organizations/acme/releases/v1.1.0/'))
    expect(calls.length).toBeGreaterThanOrEqual(2)
    expect(run.outputs).toMatchObject({ commitCount: '5', lastCommit: c.c4 })
    expect(run.stdout).toContain('Sentry lists 5 commits for v1.1.0.')
  })

  test('without it, commitCount is what the PUT answered', async () => {
    const run = await pushTagIn(repo, slow.url, 'v1.1.0')
    expect(run.code).toBe(0)
    expect(slow.requests.map(request => request.method)).toEqual(['PUT'])
    expect(run.outputs.commitCount).toBe('0')
  })
})
