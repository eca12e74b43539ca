import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { rm } from 'node:fs/promises'
import * as path from 'node:path'
import { tagPushPayload } from '../../harness/events.js'
import { checkoutLikeActions, makeRepo, type TestRepo } from '../../harness/git-repo.js'
import { byteASecondGitRemote, type HostileServer, silent, startHostileServer } from '../helpers/hostile-server.js'
import { expectContained, sentryLike, useAdversarialRepo } from './contained.js'

// Hostile repositories and runner files: an origin that accepts and never answers, one that answers a byte a second, a
// repository with a missing object, and output files on a full disk.

const fx = useAdversarialRepo()
let sentry: HostileServer
beforeAll(async () => {
  sentry = await startHostileServer(sentryLike())
})
afterAll(() => sentry.stop())

interface PushIn {
  workspace: string
  payload: Record<string, unknown>
  ref: string
  sha: string
}

/** The event of a push of `tag` at `commit`, run in `workspace`. */
function pushIn(workspace: string, tag: string, commit: string): PushIn {
  return { workspace, payload: tagPushPayload(tag, commit), ref: `refs/tags/${tag}`, sha: commit }
}

describe('an origin that does not answer, in a shallow checkout that needs its tags', () => {
  let checkout: TestRepo
  let silentOrigin: HostileServer
  let slowOrigin: HostileServer
  beforeAll(async () => {
    // actions/checkout's depth-1 checkout of v1.1.0: the earlier tag v1.0.0 must come from origin (ls-remote, fetch).
    checkout = await checkoutLikeActions(fx.repo.dir, 'v1.1.0', fx.commits[1])
    silentOrigin = await startHostileServer(silent)
    slowOrigin = await startHostileServer(byteASecondGitRemote())
  })
  afterAll(async () => {
    await Promise.all([silentOrigin.stop(), slowOrigin.stop(), checkout.remove()])
  })

  const deadline = { SENTRY_RELEASE_ACTION_GIT_DEADLINE_MS: '1500' }
  const gaveUp =
    'Cannot fetch from origin, continuing with the history at hand: git ls-remote did not finish within 1.5 s, so no further fetch is tried'

  test('accepts and never answers: ls-remote ends at its deadline, then the usual missing-start failure', async () => {
    await checkout.git('remote', 'set-url', 'origin', `${silentOrigin.url}/acme/web.git`)
    const options = { ...pushIn(checkout.dir, 'v1.1.0', fx.commits[1]), env: deadline }
    const run = await fx.pushTag(sentry.url, { set_commits: 'auto', dry_run: 'true' }, options)
    expect(expectContained(run, { code: 1, maxWallMs: 4000 })).toBe(
      `Cannot find the start of the commit range: no earlier tag matching 'v*' is in the shallow history of ${fx.commits[1]}, ` +
        'even after fetching from origin. Use actions/checkout with fetch-depth: 0, or set ignore_missing: true to continue without it.'
    )
    expect(run.stdout).toContain(gaveUp)
    expect(silentOrigin.requests.length).toBeGreaterThan(0)
  })

  test('answers a byte a second: the same deadline; with ignore_missing the release goes on without a start', async () => {
    await checkout.git('remote', 'set-url', 'origin', `${slowOrigin.url}/acme/web.git`)
    const options = { ...pushIn(checkout.dir, 'v1.1.0', fx.commits[1]), env: deadline }
    const run = await fx.pushTag(sentry.url, { set_commits: 'auto', dry_run: 'true', ignore_missing: 'true' }, options)
    // The warning says the start is missing (ignore_missing); the notice, that Sentry chooses where the range starts.
    expectContained(run, { code: 0, warnings: 1, notices: 1, maxWallMs: 4000 })
    expect(run.stdout).toContain(gaveUp)
    expect(slowOrigin.written.bytes).toBeGreaterThan(0)
  })
})

describe('a repository with a missing object', () => {
  let broken: TestRepo
  const commits: string[] = []
  beforeAll(async () => {
    broken = await makeRepo()
    commits.push(await broken.commit('one'))
    await broken.tag('v1.0.0')
    for (const message of ['two', 'three', 'four']) commits.push(await broken.commit(message))
    await broken.tag('v1.1.0')
    // The history between the tags loses a commit: git describe meets it walking back from v1.1.0's parent.
    await rm(path.join(broken.dir, '.git', 'objects', commits[1].slice(0, 2), commits[1].slice(2)))
  })
  afterAll(() => broken.remove())

  test("git describe's error is a failure in one line, never 'no earlier tag'", async () => {
    const run = await fx.pushTag(sentry.url, { set_commits: 'auto', dry_run: 'true' }, pushIn(broken.dir, 'v1.1.0', commits[3]))
    expect(expectContained(run, { code: 1 })).toBe(`git describe failed in ${broken.dir}: error: Could not read ${commits[1]}`)
  })
})

describe('runner files on a full disk', () => {
  test('GITHUB_OUTPUT on /dev/full: fails in one line naming the file; the release was made', async () => {
    const before = sentry.requests.length
    const run = await fx.pushTag(sentry.url, {}, { env: { GITHUB_OUTPUT: '/dev/full' } })
    expect(expectContained(run, { code: 1 })).toBe(
      "Cannot write the step's outputs to GITHUB_OUTPUT (/dev/full): ENOSPC: no space left on device, write"
    )
    expect(sentry.requests.length).toBe(before + 1)
  })

  test('GITHUB_STEP_SUMMARY on /dev/full: a warning naming the file; the run succeeds with its outputs', async () => {
    const run = await fx.pushTag(sentry.url, {}, { env: { GITHUB_STEP_SUMMARY: '/dev/full' } })
    expectContained(run, { code: 0, warnings: 1 })
    expect(run.stdout).toContain(
      '::warning::Cannot write the job summary to GITHUB_STEP_SUMMARY (/dev/full): ENOSPC: no space left on device, write'
    )
    expect(run.outputs.release).toBe('v1.1.0')
  })
})
