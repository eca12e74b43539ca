import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { createSyntheticRepo, type SyntheticRepo } from '../../scripts/lib/synthetic-repo.js'
import { DEFAULT_TOKEN, type Emulator, startEmulator } from '../../emulator/index.js'
import { seedWithReleases } from '../helpers/e2e-fixture.js'
import { tagPushPayload } from '../../harness/events.js'
import { checkoutLikeActions, type TestRepo } from '../../harness/git-repo.js'
import { annotations, runAction } from '../../harness/run-action.js'

// 400 commits, annotated tags v1.0.0 … v1.0.3 every 100 commits (v1.0.3 on the head), in a bare `origin`.
let dir: string
let repo: SyntheticRepo
let emulator: Emulator
const checkouts: TestRepo[] = []

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sra-checkout-'))
  repo = await createSyntheticRepo({ dir, commits: 400, tags: 4, tagKind: 'annotated' })
  emulator = await startEmulator({ seed: seedWithReleases('v1.0.3') })
}, 60_000)
afterAll(async () => {
  await emulator.stop()
  await Promise.all(checkouts.map(checkout => checkout.remove()))
  await rm(dir, { recursive: true, force: true })
})
beforeEach(() => emulator.reset(seedWithReleases('v1.0.3')))

const [previousTag, headTag] = [2, 3]

async function checkout(): Promise<TestRepo> {
  const tag = repo.tags[headTag]
  const made = await checkoutLikeActions(repo.originDir, tag.name, tag.commit)
  checkouts.push(made)
  return made
}

async function pushHeadTag(workspace: string, inputs: Record<string, string> = {}) {
  const tag = repo.tags[headTag]
  return runAction({
    inputs: { auth_token: DEFAULT_TOKEN, sentry_url: emulator.url, org: 'acme', ...inputs },
    eventName: 'push',
    payload: tagPushPayload(tag.name, tag.commit),
    ref: `refs/tags/${tag.name}`,
    sha: tag.commit,
    workspace
  })
}

describe('a tag push checked out by actions/checkout (fetch-depth: 1, the tag made lightweight locally)', () => {
  test('the earlier annotated tag is found, fetching only its tag and the history up to it', async () => {
    const workspace = await checkout()
    const run = await pushHeadTag(workspace.dir)
    expect(run.code).toBe(0)
    const previous = repo.tags[previousTag]
    expect(run.outputs).toMatchObject({ previousCommit: previous.commit, headCommit: repo.tags[headTag].commit })
    expect(run.stdout.split('\n').filter(line => /^(Listed|Fetched|Cannot fetch)/.test(line))).toEqual([
      "Listed 4 tag(s) matching 'v*' on origin.",
      'Fetched 50 more commits of history from origin: the checkout is shallow (51 commits of history now).',
      'Fetched 100 more commits of history from origin: the checkout is shallow (151 commits of history now).',
      `Fetched 1 tag(s) from origin: ${previous.name}.`
    ])
    // The fetching lines are one collapsed group of the log, the range line after it in view.
    const fetching = run.stdout.slice(run.stdout.indexOf('::group::Fetching from origin what the checkout lacks'))
    expect(fetching.indexOf("Listed 4 tag(s) matching 'v*' on origin.")).toBeGreaterThan(0)
    expect(fetching.indexOf('::endgroup::')).toBeGreaterThan(fetching.indexOf(`Fetched 1 tag(s) from origin: ${previous.name}.`))
    expect(fetching.indexOf('::endgroup::')).toBeLessThan(fetching.indexOf('Release v'))
    // Bounded: head's history down to the previous tag, that tag, and nothing else (no branches, no older tags).
    expect(await workspace.git('rev-list', '--count', 'HEAD')).toBe('151')
    expect((await workspace.git('for-each-ref', '--format=%(refname) %(objecttype)')).split('\n')).toEqual([
      `refs/tags/${previous.name} tag`,
      `refs/tags/${repo.tags[headTag].name} commit`
    ])
  })

  test('an origin that cannot be fetched from: the reason is logged, then the fetch-depth: 0 message', async () => {
    const workspace = await checkout()
    await workspace.git('remote', 'set-url', 'origin', path.join(dir, 'gone.git'))
    const run = await pushHeadTag(workspace.dir)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `Cannot fetch from origin, continuing with the history at hand: git ls-remote failed in ${workspace.dir}: fatal: '${path.join(dir, 'gone.git')}' does not appear to be a git repository`
    )
    expect(annotations(run.stdout)).toEqual([
      [
        'error',
        `Cannot find the start of the commit range: no earlier tag matching 'v*' is in the shallow history of ${repo.tags[headTag].commit}, even after fetching from origin. Use actions/checkout with fetch-depth: 0, or set ignore_missing: true to continue without it.`
      ]
    ])
    expect(emulator.requests).toEqual([])
  })
})
