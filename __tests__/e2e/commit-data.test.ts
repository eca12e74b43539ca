import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import type { Seed } from '../../emulator/types.js'
import { LOOKUP_LINE, pushTagIn, RELEASES_PATH, requestLines, seedWithReleases } from '../helpers/e2e-fixture.js'
import { makeRepo, type TestRepo } from '../../harness/git-repo.js'
import { type ActionRun, annotations } from '../../harness/run-action.js'

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
const lines = () => requestLines(emulator)
const releasePath = (version: string) => `${RELEASES_PATH}${encodeURIComponent(version)}/`
/** The releases were seeded without ref, url and dateReleased: after Sentry's create (208) a PUT of those fields follows. */
const createThenFields = (version: string) => [`POST ${RELEASES_PATH} 208`, `PUT ${releasePath(version)} 200`]
/** The fields the PUT after a 208 sends: those the create carried but left as they were. */
const fieldsOf = (body: Record<string, unknown>) => ({ ref: body.ref, url: body.url, dateReleased: body.dateReleased })
/** The seed with the org's repository list replaced. */
const withRepositories = (seed: Seed, repositories: Seed['orgs'][number]['repositories']): Seed => ({
  ...seed,
  orgs: seed.orgs.map(org => ({ ...org, repositories }))
})

const commit = (id: string, message: string, timestampMinute: number, patchSet: Array<[string, string]>) => ({
  id,
  repository: 'acme/web',
  message,
  author_name: 'Test Author',
  author_email: 'author@example.com',
  timestamp: `2024-01-01T00:${String(timestampMinute).padStart(2, '0')}:00+00:00`,
  patch_set: patchSet.map(([type, file]) => ({ path: file, type }))
})
const C4 = () =>
  commit(c.c4, 'refactor(web): rename a to b', 6, [
    ['D', 'apps/web/a.ts'],
    ['A', 'apps/web/b.ts']
  ])
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
    // No repository lookup: set_commits local never sends refs.
    expect(lines()).toEqual(createThenFields('v1.1.0'))
    const fields = { ref: c.c4, url: 'https://github.com/acme/web/releases/tag/v1.1.0', dateReleased: expect.any(String) }
    expect(bodies()).toEqual([
      { version: 'v1.1.0', projects: ['web'], ...fields, commits: [C4(), MERGE(), C3(), SIDE(), C1()] },
      fieldsOf(bodies()[0])
    ])
    expect(bodies()[1]).toEqual(fields)
    expect(run.outputs).toMatchObject({ commitCount: '5', commitsSent: '5', commitRange: `${c.c0}..${c.c4}`, lastCommit: c.c4 })
    expect(annotations(run.stdout)).toEqual([])
    expect(run.summary).toContain('5 commits sent from git')
    expect(run.stdout).not.toContain('Sentry fetches the commits in the background')
  })

  test('first release: initial_depth commits from the head', async () => {
    const run = await push('x1', { set_commits: 'local', initial_depth: '2' })
    expect(run.code).toBe(0)
    expect(lines()).toEqual(createThenFields('x1'))
    expect(bodies()[0].commits).toEqual([C4(), MERGE()])
    expect(run.outputs).toMatchObject({ commitsSent: '2', commitRange: c.c4 })
    expect(annotations(run.stdout)).toEqual([
      [
        'notice',
        "No previous commit (no earlier tag matching 'x*' precedes this release): sending up to 2 commits from git (initial_depth)."
      ]
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

  test('without projects the update goes first: one PUT with the commits', async () => {
    const run = await push('v1.1.0', { set_commits: 'local', projects: '' })
    expect(run.code).toBe(0)
    expect(lines()).toEqual([`PUT ${releasePath('v1.1.0')} 200`])
    expect(bodies()).toEqual([
      {
        ref: c.c4,
        url: 'https://github.com/acme/web/releases/tag/v1.1.0',
        dateReleased: expect.any(String),
        commits: [C4(), MERGE(), C3(), SIDE(), C1()]
      }
    ])
    expect(run.outputs).toMatchObject({ commitCount: '5', commitsSent: '5', lastCommit: c.c4 })
  })

  test('max_commits keeps the newest, with a warning', async () => {
    const run = await push('v1.1.0', { set_commits: 'local', max_commits: '2' })
    expect(run.code).toBe(0)
    expect(lines()).toEqual(createThenFields('v1.1.0'))
    expect(bodies()[0].commits).toEqual([C4(), MERGE()])
    expect(annotations(run.stdout)).toEqual([
      ['warning', 'The range has 5 commits; Sentry gets the newest 2 (raise max_commits to send more).']
    ])
  })
})

describe('monorepo: tag families and paths', () => {
  test.each([
    ['web@1.1.0', 'apps/web/**', () => [C4(), SIDE(), C1()]],
    ['api@1.1.0', 'services/api/**', () => [C3()]]
  ])('%s with paths %s gets only its own commits (auto mode reads them from git)', async (tag, paths, expected) => {
    const run = await push(tag, { paths })
    expect(run.code).toBe(0)
    // paths read the commits from git: no repository lookup, no refs.
    expect(lines()).toEqual(createThenFields(tag))
    expect(bodies()).toEqual([expect.objectContaining({ version: tag, commits: expected() }), fieldsOf(bodies()[0])])
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
    const fields = { ref: c.c4, url: 'https://github.com/acme/web/releases/tag/v1.1.0', dateReleased: expect.any(String) }
    expect(lines()).toEqual(createThenFields('v1.1.0'))
    expect(bodies()).toEqual([{ version: 'v1.1.0', projects: ['web'], ...fields }, fieldsOf(bodies()[0])])
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
  const UNKNOWN_REPOSITORY_WARNING =
    "Sentry has no repository 'acme/web' in org 'acme', so it cannot fetch the commits: sending them from git instead. " +
    "To link commits to GitHub, install Sentry's GitHub integration (Settings > Integrations > GitHub) and add the repository, " +
    "or set 'repo' to the name Sentry shows; set_commits: local skips this check."
  const ALL = () => [C4(), MERGE(), C3(), SIDE(), C1()]

  test('no repository of that name: the lookup says so, one warning, and the commits from git without a refused request', async () => {
    emulator.reset(withRepositories(seedWithReleases('v1.1.0'), []))
    const run = await push('v1.1.0')
    expect(run.code).toBe(0)
    expect(lines()).toEqual([LOOKUP_LINE, ...createThenFields('v1.1.0')])
    expect(bodies()[1]).toEqual({
      version: 'v1.1.0',
      projects: ['web'],
      ref: c.c4,
      url: 'https://github.com/acme/web/releases/tag/v1.1.0',
      dateReleased: expect.any(String),
      commits: ALL()
    })
    expect(bodies().some(body => body !== null && 'refs' in body)).toBe(false)
    expect(annotations(run.stdout)).toEqual([['warning', UNKNOWN_REPOSITORY_WARNING]])
    expect(run.outputs).toMatchObject({ commitCount: '5', commitsSent: '5', previousCommit: c.c0 })
  })

  // Commits sent from git make Sentry create a repository without provider; refs naming it are accepted, but Sentry's
  // fetch skips it (docs/sentry-api.md section 10): the commits keep coming from git, on every run, with a notice.
  test('a repository without integration (made by commits sent earlier): a notice, and the commits from git on every run', async () => {
    emulator.reset(withRepositories(seedWithReleases('v1.1.0'), [{ name: 'acme/web', provider: null }]))
    for (const attempt of [1, 2]) {
      emulator.requests.length = 0
      const run = await push('v1.1.0')
      expect(run.code).toBe(0)
      expect(lines()).toEqual(attempt === 1 ? [LOOKUP_LINE, ...createThenFields('v1.1.0')] : [LOOKUP_LINE, `POST ${RELEASES_PATH} 208`])
      expect(bodies()[1]).toMatchObject({ version: 'v1.1.0', commits: ALL() })
      expect(bodies()[1]).not.toHaveProperty('refs')
      expect(annotations(run.stdout)).toEqual([
        [
          'notice',
          "Sentry's repository 'acme/web' has no integration (commits sent from git created it), so Sentry cannot fetch commits " +
            "for it: sending them from git, as on every run until Sentry's GitHub integration adds the repository."
        ]
      ])
      expect(run.outputs).toMatchObject({ commitCount: '5', commitsSent: '5' })
    }
  })

  // A token with project:releases only may not list repositories (403): refs first, as before, and Sentry's 400 for an
  // unknown repository falls back to the commits from git.
  test('a token that cannot list repositories: refs, refused as an unknown repository, then the commits from git', async () => {
    const token = 'sntryu_releases_only_0123456789abcdef0123456789abcdef01234567'
    const seed = withRepositories(seedWithReleases('v1.1.0'), [])
    emulator.reset({ ...seed, tokens: [...seed.tokens, { token, scopes: ['project:releases'] }] })
    const run = await push('v1.1.0', { auth_token: token })
    expect(run.code).toBe(0)
    expect(lines()).toEqual([LOOKUP_LINE.replace(/ 200$/, ' 403'), `POST ${RELEASES_PATH} 400`, ...createThenFields('v1.1.0')])
    const [, refsPost, commitsPost] = bodies()
    const { refs, ...rest } = refsPost
    expect(refs).toEqual([{ repository: 'acme/web', commit: c.c4, previousCommit: c.c0 }])
    expect(commitsPost).toEqual({ ...rest, commits: ALL() })
    expect(run.stdout).toMatch(
      /^Cannot list Sentry's repositories \(Sentry answered 403 to GET .*\): sending refs, with commits from git if Sentry refuses them\.$/m
    )
    expect(annotations(run.stdout)).toEqual([['warning', UNKNOWN_REPOSITORY_WARNING]])
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
    expect(lines()).toEqual([LOOKUP_LINE, ...createThenFields('v1.1.0')])
    expect(bodies()[1].refs).toEqual([{ repository: 'acme/web', commit: c.c4, previousCommit: c.c0 }])
  })

  const fetchLines = (run: ActionRun): string[] => run.stdout.split('\n').filter(line => /^(Listed|Fetched)/.test(line))

  // Sentry chooses the start of a first release sent as refs: the history behind the head is not needed.
  test('a first release sent as refs fetches no history once origin lists no earlier tag', async () => {
    const run = await push('x1', {}, await shallowClone())
    expect(run.code).toBe(0)
    expect(lines()).toEqual([LOOKUP_LINE, ...createThenFields('x1')])
    expect(bodies()[1].refs).toEqual([{ repository: 'acme/web', commit: c.c4 }])
    expect(fetchLines(run)).toEqual([
      "Listed 1 tag(s) matching 'x1' on origin.",
      'Fetched 1 tag(s) from origin: x1.',
      "Listed 1 tag(s) matching 'x*' on origin."
    ])
  })

  // The fallback sends the commits from git: the action, not Sentry, chose where they start (initial_depth).
  test('a first release falling back to commits from git: history fetched for initial_depth, notice and summary say what was sent', async () => {
    emulator.reset(withRepositories(seedWithReleases('x1'), []))
    const run = await push('x1', { initial_depth: '2' }, await shallowClone())
    expect(run.code).toBe(0)
    expect(lines()).toEqual([LOOKUP_LINE, ...createThenFields('x1')])
    expect(bodies()[1].commits).toEqual([C4(), MERGE()])
    expect(fetchLines(run).slice(-1)).toEqual([
      'Fetched 50 more commits of history from origin: the checkout is shallow (6 commits of history now).'
    ])
    const notices = annotations(run.stdout).filter(([kind]) => kind === 'notice')
    expect(notices).toEqual([
      [
        'notice',
        "No previous commit (no earlier tag matching 'x*' precedes this release): sending up to 2 commits from git (initial_depth)."
      ]
    ])
    expect(run.stdout).toContain(
      `Release x1 of acme/web: first release, the newest 2 commits up to ${c.c4.slice(0, 12)} (x1) from git (initial_depth).`
    )
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
    expect(lines()).toEqual([LOOKUP_LINE, ...createThenFields('v1.1.0')])
    expect(bodies()[1].refs).toEqual([{ repository: 'acme/web', commit: c.c4 }])
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
    const calls = requestLines(slow)
    expect(calls.slice(0, 3)).toEqual([LOOKUP_LINE, ...createThenFields('v1.1.0')])
    expect(calls.slice(3)).toEqual(Array(calls.length - 3).fill(`GET ${releasePath('v1.1.0')} 200`))
    expect(calls.length).toBeGreaterThanOrEqual(4)
    expect(run.outputs).toMatchObject({ commitCount: '5', lastCommit: c.c4 })
    expect(run.stdout).toContain('Sentry lists 5 commits for v1.1.0.')
    expect(run.stdout).toContain('Sentry release v1.1.0: commitCount 5 (git counts 5 commits in ')
    expect(run.stdout).not.toContain('Sentry fetches the commits in the background')
  })

  test('a wait too short: a warning with what Sentry lists and what git counts', async () => {
    const run = await pushTagIn(repo, slow.url, 'v1.1.0', { wait_for_commits: '1' })
    expect(run.code).toBe(0)
    const calls = requestLines(slow)
    expect(calls.slice(0, 3)).toEqual([LOOKUP_LINE, ...createThenFields('v1.1.0')])
    expect(calls.slice(3)).toEqual([`GET ${releasePath('v1.1.0')} 200`])
    expect(annotations(run.stdout)).toEqual([
      [
        'warning',
        "Sentry did not list the range's commits for v1.1.0 within wait_for_commits (1 s): it lists 0 (git counts 5 in the range); " +
          'commitCount may still change.'
      ]
    ])
    expect(run.outputs.commitCount).toBe('0')
    expect(run.stdout).toContain('Sentry fetches the commits in the background, so commitCount may still rise.')
  })

  test('without it, commitCount is what the write answered', async () => {
    const run = await pushTagIn(repo, slow.url, 'v1.1.0')
    expect(run.code).toBe(0)
    expect(requestLines(slow)).toEqual([LOOKUP_LINE, ...createThenFields('v1.1.0')])
    expect(run.outputs.commitCount).toBe('0')
  })
})

// Sentry orders a release's commits by author date, newest first (docs/sentry-api.md section 10): after a cherry-pick the head
// commit is older than its parent, so Sentry's lastCommit is not the head. The wait ends on git's count and the range.
describe('wait_for_commits when Sentry lists the head commit second', () => {
  let picked: TestRepo
  let sentry: Emulator
  const p: Record<'base' | 'newer' | 'head', string> = { base: '', newer: '', head: '' }
  beforeAll(async () => {
    picked = await makeRepo()
    p.base = await picked.commit('feat: base')
    await picked.tag('r1.0.0')
    p.newer = await picked.commit('feat: newer')
    // A cherry-pick keeps the author date of the original commit, here earlier than its new parent's.
    await picked.git('commit', '--quiet', '--allow-empty', '-m', 'fix: picked', '--date=2023-12-31T00:00:00Z')
    p.head = await picked.git('rev-parse', 'HEAD')
    await picked.tag('r1.1.0')
    sentry = await startEmulator({ git: picked.dir, fetchDelayMs: 1500, seed: seedWithReleases('r1.1.0') })
  })
  afterAll(async () => {
    await sentry.settle()
    await sentry.stop()
    await picked.remove()
  })

  test('ends once Sentry lists as many commits as git counts, with a lastCommit in the range', async () => {
    const run = await pushTagIn(picked, sentry.url, 'r1.1.0', { wait_for_commits: '20' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ commitCount: '2', lastCommit: p.newer, headCommit: p.head, previousCommit: p.base })
    expect(run.stdout).toContain('Sentry lists 2 commits for r1.1.0.')
    expect(annotations(run.stdout)).toEqual([])
    const polls = requestLines(sentry).slice(3)
    expect(polls.length).toBeGreaterThanOrEqual(1)
    expect(polls).toEqual(Array(polls.length).fill(`GET ${releasePath('r1.1.0')} 200`))
    expect(polls.length).toBeLessThan(8)
  })
})
