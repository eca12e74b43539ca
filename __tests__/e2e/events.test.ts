import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { deploymentStatusPayload, workflowRunPayload } from '../../harness/deploy-events.js'
import { LOOKUP_LINE, RELEASES_PATH, repositoryLookup, requestLines, requestsSent, useE2eFixture } from '../helpers/e2e-fixture.js'
import { type EventRun, runEvent } from '../helpers/event-action.js'
import { examplePayload } from '../../harness/events.js'
import { checkoutBranchLikeActions } from '../../harness/git-repo.js'
import { annotations } from '../../harness/run-action.js'

// History (see e2e-fixture): c0 (v1.0.0) - c1 (v1.1.0 annotated) - c2 - c3 (v1.2.0) - c4, the default branch's tip.
// Sentry holds release v1.2.0 before each test, without ref, url and dateReleased: the create (208) leaves those as they
// were, so a PUT of them follows it. A release Sentry lacks is created (201) with every field, and nothing follows.
const fx = useE2eFixture('v1.2.0')
const RUN_UPDATED = '2021-12-16T19:37:22.000Z' // the workflow_run example's updated_at
const temps: string[] = []
afterAll(() => Promise.all(temps.map(dir => rm(dir, { recursive: true, force: true }))))

const releasePath = (version: string) => `/api/0/organizations/acme/releases/${encodeURIComponent(version)}/`

/** The real workflow_run example for a run of `headBranch` (a branch or tag name) at `headSha`. */
function workflowRun(headBranch: string, headSha: string): Record<string, unknown> {
  const payload = workflowRunPayload(headSha)
  Object.assign(payload.workflow_run as object, { head_branch: headBranch })
  return payload
}

/** workflow_run runs on the default branch: GITHUB_REF is main and GITHUB_SHA its tip, whatever the run built. */
const runOnDefaultBranch = (payload: Record<string, unknown>, inputs: Record<string, string> = {}, workspace?: string) =>
  runEvent(fx, workflowRunEvent(payload, inputs, workspace))
const workflowRunEvent = (payload: Record<string, unknown>, inputs: Record<string, string> = {}, workspace?: string): EventRun => ({
  eventName: 'workflow_run',
  payload,
  ref: 'refs/heads/main',
  sha: fx.commits[4],
  inputs,
  workspace
})

/** The release fields for a tag at `head` whose range starts after `previous`, dated by the run. */
const tagFields = (tag: string, head: string, previous: string) => ({
  ref: head,
  url: `https://github.com/acme/web/releases/tag/${tag}`,
  refs: [{ repository: 'acme/web', commit: head, previousCommit: previous }],
  dateReleased: RUN_UPDATED
})

/** What a run sends for release v1.2.0, which Sentry holds without the fields: the lookup, the create, the fields. */
function existingTagRequests(fields: ReturnType<typeof tagFields>) {
  const { refs, ...plain } = fields
  return [
    repositoryLookup(),
    { method: 'POST', path: RELEASES_PATH, status: 208, body: { version: 'v1.2.0', projects: ['web'], ...plain, refs } },
    { method: 'PUT', path: releasePath('v1.2.0'), status: 200, body: plain }
  ]
}

/** What a run sends for a release Sentry lacks: the lookup, then one create with every field. */
const newReleaseRequests = (version: string, fields: Record<string, unknown>) => [
  repositoryLookup(),
  { method: 'POST', path: RELEASES_PATH, status: 201, body: { version, projects: ['web'], ...fields } }
]

describe('workflow_run triggered by a tag push (head_branch is the tag)', () => {
  test('releases the tag at head_sha, previous = the earlier v* tag', async () => {
    const c = fx.commits
    const result = await runOnDefaultBranch(workflowRun('v1.2.0', c[3]))
    expect(result.code).toBe(0)
    expect(requestsSent(fx.emulator)).toEqual(existingTagRequests(tagFields('v1.2.0', c[3], c[1])))
    expect(result.outputs).toMatchObject({ release: 'v1.2.0', version: 'v1.2.0', headCommit: c[3], previousCommit: c[1] })
  })

  test('an annotated tag with release_prefix: prefix + tag, created when missing', async () => {
    const c = fx.commits
    const result = await runOnDefaultBranch(workflowRun('v1.1.0', c[1]), { release_prefix: 'web-' })
    expect(result.code).toBe(0)
    expect(requestsSent(fx.emulator)).toEqual(newReleaseRequests('web-v1.1.0', tagFields('v1.1.0', c[1], c[0])))
    expect(result.outputs).toMatchObject({ release: 'web-v1.1.0', headCommit: c[1], previousCommit: c[0] })
  })

  test('a shallow checkout of head_sha without tags: tags are fetched and the release is still the tag', async () => {
    const c = fx.commits
    const dir = await mkdtemp(path.join(tmpdir(), 'sra-shallow-'))
    temps.push(dir)
    // Like actions/checkout with `ref: head_sha`: one commit, detached, no tags (clone --branch keeps its tag).
    await fx.repo.git('clone', '--quiet', '--depth=1', '--no-tags', '--branch=v1.2.0', `file://${fx.repo.dir}`, dir)
    await fx.repo.git('-C', dir, 'tag', '--delete', 'v1.2.0')
    const result = await runOnDefaultBranch(workflowRun('v1.2.0', c[3]), {}, dir)
    expect(result.code).toBe(0)
    // The tag is fetched once, by the event's look-up; the range then finds it and fetches only what it lacks.
    expect(result.stdout.split('\n').filter(line => /^(Listed|Fetched)/.test(line))).toEqual([
      "Listed 1 tag(s) matching 'v1.2.0' on origin.",
      'Fetched 1 tag(s) from origin: v1.2.0.',
      "Listed 3 tag(s) matching 'v*' on origin.",
      'Fetched 50 more commits of history from origin: the checkout is shallow (4 commits of history now).',
      'Fetched 2 tag(s) from origin: v1.0.0, v1.1.0.'
    ])
    expect(requestsSent(fx.emulator)).toEqual(existingTagRequests(tagFields('v1.2.0', c[3], c[1])))
    expect(result.outputs).toMatchObject({ release: 'v1.2.0', headCommit: c[3] })
  })

  test('head_branch names a tag at another commit: the release is head_sha', async () => {
    const c = fx.commits
    const result = await runOnDefaultBranch(workflowRun('v1.2.0', c[2]))
    expect(result.code).toBe(0)
    expect(requestLines(fx.emulator)).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 201`])
    expect(fx.emulator.requests[1].body).toMatchObject({ version: c[2], url: `https://github.com/acme/web/commit/${c[2]}` })
    expect(result.outputs).toMatchObject({ release: c[2], headCommit: c[2] })
  })

  test('a head_branch that looks like an option or a revision is only a name: the release is head_sha', async () => {
    const c = fx.commits
    for (const headBranch of ['--output=/tmp/x', 'v1.2.0^0']) {
      const result = await runOnDefaultBranch(workflowRun(headBranch, c[3]), { dry_run: 'true' })
      expect(result.code).toBe(0)
      expect(result.outputs).toMatchObject({ release: c[3], headCommit: c[3] })
    }
  })
})

describe("a checkout of the default branch at depth 1 (actions/checkout's default for workflow_run)", () => {
  // A bare origin of the fixture plus a release branch (not merged into main): c3 (v1.2.0) - hotfix (v1.2.1).
  let origin = ''
  let hotfix = ''
  beforeAll(async () => {
    origin = await mkdtemp(path.join(tmpdir(), 'sra-origin-'))
    temps.push(origin)
    const c = fx.commits
    await fx.repo.git('clone', '--quiet', '--bare', fx.repo.dir, origin)
    // The hotfix commit is made in the fixture (reachable from no ref there, so its tags stay as they are) for the emulator.
    hotfix = await fx.repo.git('commit-tree', '-p', c[3], '-m', 'fix: hotfix', `${c[3]}^{tree}`)
    await fx.repo.git('-C', origin, 'fetch', '--quiet', fx.repo.dir, `${hotfix}:refs/heads/release/1.2`)
    await fx.repo.git('-C', origin, 'tag', 'v1.2.1', hotfix)
  })

  /**
   * Runs the event (a workflow_run of `payload` unless given) in a fresh checkout of origin's main (c4) at depth 1, as
   * actions/checkout makes it.
   */
  async function runInDefaultCheckout(payload: Record<string, unknown>, event: Omit<EventRun, 'payload'> = workflowRunEvent(payload)) {
    const checkout = await checkoutBranchLikeActions(origin, 'main', fx.commits[4])
    temps.push(checkout.dir)
    const result = await runEvent(fx, { ...event, payload, workspace: checkout.dir })
    const fetchLog = result.stdout.split('\n').filter(line => /^(Listed|Fetched|Cannot fetch)/.test(line))
    return { result, fetchLog }
  }

  test('a tag on main older than its tip: head_sha and the tag are fetched, previous = the earlier v* tag', async () => {
    const c = fx.commits
    const { result, fetchLog } = await runInDefaultCheckout(workflowRun('v1.2.0', c[3]))
    expect(result.code).toBe(0)
    expect(fetchLog).toEqual([
      `Fetched commit ${c[3]} from origin (without history): the checkout did not have it.`,
      "Listed 1 tag(s) matching 'v1.2.0' on origin.",
      'Fetched 1 tag(s) from origin: v1.2.0.',
      "Listed 4 tag(s) matching 'v*' on origin.",
      'Fetched 50 more commits of history from origin: the checkout is shallow (4 commits of history now).',
      'Fetched 2 tag(s) from origin: v1.0.0, v1.1.0.'
    ])
    expect(requestsSent(fx.emulator)).toEqual(existingTagRequests(tagFields('v1.2.0', c[3], c[1])))
    expect(result.outputs).toMatchObject({ release: 'v1.2.0', headCommit: c[3], previousCommit: c[1] })
  })

  test('a tag on a release branch (head_sha not in main): fetched from origin, previous = the tag it branched from', async () => {
    const c = fx.commits
    const { result, fetchLog } = await runInDefaultCheckout(workflowRun('v1.2.1', hotfix))
    expect(result.code).toBe(0)
    expect(fetchLog).toEqual([
      `Fetched commit ${hotfix} from origin (without history): the checkout did not have it.`,
      "Listed 1 tag(s) matching 'v1.2.1' on origin.",
      'Fetched 1 tag(s) from origin: v1.2.1.',
      "Listed 4 tag(s) matching 'v*' on origin.",
      'Fetched 50 more commits of history from origin: the checkout is shallow (5 commits of history now).',
      'Fetched 3 tag(s) from origin: v1.0.0, v1.1.0, v1.2.0.'
    ])
    expect(requestsSent(fx.emulator)).toEqual(newReleaseRequests('v1.2.1', tagFields('v1.2.1', hotfix, c[3])))
    expect(result.outputs).toMatchObject({ release: 'v1.2.1', headCommit: hotfix, previousCommit: c[3] })
  })

  test('head_branch main with head_sha older than its tip: the release is head_sha, previous = the nearest earlier tag', async () => {
    const c = fx.commits
    const { result, fetchLog } = await runInDefaultCheckout(workflowRun('main', c[2]))
    expect(result.code).toBe(0)
    expect(fetchLog[0]).toBe(`Fetched commit ${c[2]} from origin (without history): the checkout did not have it.`)
    expect(requestLines(fx.emulator)).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 201`])
    expect(fx.emulator.requests[1].body).toMatchObject({
      version: c[2],
      refs: [{ repository: 'acme/web', commit: c[2], previousCommit: c[1] }]
    })
    expect(result.outputs).toMatchObject({ release: c[2], headCommit: c[2], previousCommit: c[1] })
  })

  test('deployment_status success of a release branch commit, the job having checked out main: deployment.sha is fetched', async () => {
    const c = fx.commits
    const payload = deploymentStatusPayload(hotfix, 'release/1.2', 'success')
    const { result, fetchLog } = await runInDefaultCheckout(payload, {
      eventName: 'deployment_status',
      ref: 'refs/heads/release/1.2',
      sha: hotfix
    })
    expect(result.code).toBe(0)
    expect(fetchLog).toEqual([
      `Fetched commit ${hotfix} from origin (without history): the checkout did not have it.`,
      // A commit's range starts at the nearest tag of any name.
      "Listed 6 tag(s) matching '*' on origin.",
      'Fetched 2 tag(s) from origin: v1.2.1, web@1.1.0.',
      'Fetched 50 more commits of history from origin: the checkout is shallow (5 commits of history now).',
      'Fetched 4 tag(s) from origin: v1.0.0, v1.1.0, v1.2.0, web@1.0.0.'
    ])
    const fields = {
      ref: hotfix,
      url: `https://github.com/acme/web/commit/${hotfix}`,
      refs: [{ repository: 'acme/web', commit: hotfix, previousCommit: c[3] }],
      dateReleased: '2019-05-15T15:20:55.000Z' // the status's created_at
    }
    const deploy = {
      environment: 'production',
      dateStarted: '2019-05-15T15:20:53.000Z',
      dateFinished: fields.dateReleased,
      projects: ['web']
    }
    expect(requestsSent(fx.emulator)).toEqual([
      ...newReleaseRequests(hotfix, fields),
      { method: 'POST', path: `${releasePath(hotfix)}deploys/`, status: 201, body: deploy }
    ])
    expect(result.outputs).toMatchObject({ release: hotfix, headCommit: hotfix, previousCommit: c[3], deployCount: '1' })
  })
})

describe('release events without a published GitHub release: nothing is sent', () => {
  test.each(['deleted', 'unpublished'])('release %s: a notice, no request, no outputs', async action => {
    const payload = Object.assign(
      examplePayload('release', p => p.action === 'deleted'),
      { action }
    )
    Object.assign(payload.release as object, { tag_name: 'v1.2.0' })
    const inputs = { environment: 'production' }
    const result = await runEvent(fx, { eventName: 'release', payload, ref: 'refs/tags/v1.2.0', sha: fx.commits[3], inputs })
    expect(result.code).toBe(0)
    expect(annotations(result.stdout)).toEqual([
      ['notice', `GitHub release v1.2.0 was ${action}: the Sentry release is left as it is, nothing is sent.`]
    ])
    expect(fx.emulator.requests).toEqual([])
    expect(result.outputs).toEqual({})
  })
})
