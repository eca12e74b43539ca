import { beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { DEFAULT_TOKEN, defaultSeed } from '../../emulator/index.js'
import type { SeedRelease } from '../../emulator/types.js'
import { deploymentPayload, deploymentStatusPayload, workflowRunPayload } from '../../harness/deploy-events.js'
import { examplePayload } from '../../harness/events.js'
import {
  LOOKUP_LINE,
  RELEASES_PATH,
  repositoryLookup,
  requestLines as linesOf,
  requestsSent,
  useE2eFixture
} from '../helpers/e2e-fixture.js'
import { annotations, runAction } from '../../harness/run-action.js'

// The examples' times: deployment.created_at, deployment_status.created_at, the tag push's
// repository.pushed_at (unix seconds), the create's pushed_at and the release's published_at.
const CREATED = '2019-05-15T15:20:53.000Z'
const FINISHED = '2019-05-15T15:20:55.000Z'
const PUSHED = '2019-05-15T15:20:57.000Z'
const CREATED_TAG = '2019-05-15T15:20:56.000Z'
const PUBLISHED = '2019-05-15T15:20:53.000Z'
// deleted and unpublished send nothing: events.test.ts
const RELEASE_ACTIONS = ['published', 'created', 'edited', 'prereleased', 'released']

// Each test starts from the default seed, without releases.
const fx = useE2eFixture()
let c: string[]
beforeAll(() => {
  c = fx.commits
})

function seed(...releases: Array<Partial<SeedRelease> & { version: string }>): void {
  fx.emulator.reset({ ...defaultSeed(), releases: releases.map(release => ({ org: 'acme', projects: ['web'], ...release })) })
}
const sent = () => requestsSent(fx.emulator)
const releasePath = (version: string) => `/api/0/organizations/acme/releases/${encodeURIComponent(version)}/`
const TAG_PATH = releasePath('v1.2.0')
const requestLines = () => linesOf(fx.emulator)
/**
 * How many connections the run opened: its requests go one after another over one (a new one costs a handshake), the
 * one it opened while git ran (preconnect); an unused one would count here too.
 */
const connections = () => fx.emulator.connections.length
/** The fields a run of the tag v1.2.0 at c[3] gives the release (as an earlier run left them), dated `dateReleased`. */
const tagFields = (dateReleased: string) => ({ ref: c[3], url: 'https://github.com/acme/web/releases/tag/v1.2.0', dateReleased })

/** Runs the bundled action for an event; GITHUB_SHA is what the runner sets for it. */
function run(eventName: string, payload: Record<string, unknown>, ref: string, sha: string, inputs: Record<string, string> = {}) {
  return runAction({
    inputs: { auth_token: DEFAULT_TOKEN, sentry_url: fx.emulator.url, org: 'acme', projects: 'web', ...inputs },
    eventName,
    payload,
    ref,
    sha,
    workspace: fx.repo.dir
  })
}

describe('deployment', () => {
  test('of a branch: the release of deployment.sha is created, then a deploy started at the deployment', async () => {
    const result = await run('deployment', deploymentPayload(c[2], 'master'), 'refs/heads/master', c[2])
    expect(result.code).toBe(0)
    const fields = {
      ref: c[2],
      url: `https://github.com/acme/web/commit/${c[2]}`,
      refs: [{ repository: 'acme/web', commit: c[2], previousCommit: c[1] }],
      dateReleased: CREATED
    }
    const deployBody = { environment: 'production', dateStarted: CREATED, projects: ['web'] }
    // A new release: the create applies every field, nothing follows it but the deploy.
    expect(sent()).toEqual([
      repositoryLookup(),
      { method: 'POST', path: RELEASES_PATH, status: 201, body: { version: c[2], projects: ['web'], ...fields } },
      { method: 'POST', path: `${releasePath(c[2])}deploys/`, status: 201, body: deployBody }
    ])
    const [deploy] = fx.emulator.deploys('acme', c[2])
    expect(deploy).toEqual({
      id: expect.any(String),
      environment: 'production',
      dateStarted: CREATED,
      dateFinished: expect.any(String),
      name: null,
      url: null
    })
    expect(result.outputs).toMatchObject({ release: c[2], headCommit: c[2], deployId: deploy.id, deployCount: '1' })
    // The release as Sentry now serializes it, without asking again: the created release plus this deploy.
    const { deployCount, lastDeploy } = fx.emulator.release('acme', c[2]) ?? {}
    expect(JSON.parse(result.outputs.json)).toMatchObject({ version: c[2], deployCount, lastDeploy })
    expect(lastDeploy).toEqual(deploy)
    expect(JSON.parse(result.outputs.lastDeploy)).toEqual(deploy)
    expect(result.summary).toContain(
      `| Deploy | <a href="${fx.emulator.url}/organizations/acme/releases/${c[2]}/?environment=production"><code>production</code></a> · started ${CREATED} · finished `
    )
  })

  test('of a tag: the release is the tag', async () => {
    seed({ version: 'v1.2.0' })
    const result = await run('deployment', deploymentPayload(c[3], 'v1.2.0'), 'refs/tags/v1.2.0', c[3])
    expect(result.code).toBe(0)
    // The seeded release lacks ref, url and dateReleased: the create (208) leaves them, a PUT of them follows.
    expect(requestLines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, `PUT ${TAG_PATH} 200`, `POST ${TAG_PATH}deploys/ 201`])
    expect(fx.emulator.requests[1].body).toMatchObject({
      version: 'v1.2.0',
      refs: [{ repository: 'acme/web', commit: c[3], previousCommit: c[1] }]
    })
    expect(fx.emulator.requests[2].body).toEqual(tagFields(CREATED))
    expect(result.outputs).toMatchObject({ release: 'v1.2.0', deployId: fx.emulator.deploys('acme', 'v1.2.0')[0].id, deployCount: '1' })
  })

  test('created from a SHA (empty GITHUB_REF): the release is the SHA, even where a tag points', async () => {
    const result = await run('deployment', deploymentPayload(c[3], c[3]), '', c[3])
    expect(result.code).toBe(0)
    expect(requestLines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 201`, `POST ${releasePath(c[3])}deploys/ 201`])
    expect(fx.emulator.requests[1].body).toMatchObject({ version: c[3], ref: c[3] })
    expect(result.outputs).toMatchObject({ release: c[3], headCommit: c[3], deployCount: '1' })
  })

  test('a dry run prints the deploy and sends nothing', async () => {
    const result = await run('deployment', deploymentPayload(c[2], 'master'), 'refs/heads/master', c[2], { dry_run: 'true' })
    expect(result.code).toBe(0)
    expect(fx.emulator.requests).toEqual([])
    expect(result.stdout).toContain(
      `GET ${fx.emulator.url}${releasePath(c[2])}deploys/\nPOST ${fx.emulator.url}${releasePath(c[2])}deploys/\n`
    )
    expect(result.outputs).not.toHaveProperty('deployId')
  })

  test('an environment Sentry would reject fails before any request, naming the input', async () => {
    const payload = deploymentPayload(c[2], 'master')
    Object.assign(payload.deployment as object, { environment: 'prod/eu' })
    const result = await run('deployment', payload, 'refs/heads/master', c[2])
    expect(result.code).toBe(1)
    expect(annotations(result.stdout)).toEqual([
      ['error', `Input 'environment': Sentry forbids '/' in an environment name: "prod/eu" (the deployment's environment)`]
    ])
    expect(fx.emulator.requests).toEqual([])
  })
})

describe('deployment_status', () => {
  const success = () => deploymentStatusPayload(c[3], 'v1.2.0', 'success', { environment_url: 'https://acme.example.com' })

  test('success: a finished deploy with the environment url; a rerun records no second deploy and sends only the create', async () => {
    seed({ version: 'v1.2.0' })
    const first = await run('deployment_status', success(), 'refs/tags/v1.2.0', c[3])
    expect(first.code).toBe(0)
    expect(requestLines().slice(0, 3)).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, `PUT ${TAG_PATH} 200`])
    expect(fx.emulator.requests[2].body).toEqual(tagFields(FINISHED))
    expect(sent().slice(3)).toEqual([
      {
        method: 'POST',
        path: `${releasePath('v1.2.0')}deploys/`,
        status: 201,
        body: {
          environment: 'production',
          url: 'https://acme.example.com',
          dateStarted: CREATED,
          dateFinished: FINISHED,
          projects: ['web']
        }
      }
    ])
    expect(fx.emulator.requests[1].body).toMatchObject({ dateReleased: FINISHED })
    const [deploy] = fx.emulator.deploys('acme', 'v1.2.0')
    expect(first.outputs).toMatchObject({ deployId: deploy.id, deployCount: '1' })
    expect(JSON.parse(first.outputs.json)).toMatchObject({ deployCount: 1, lastDeploy: deploy })

    await fx.emulator.settle()
    const before = fx.emulator.release('acme', 'v1.2.0')
    fx.emulator.requests.length = 0
    const rerun = await run('deployment_status', success(), 'refs/tags/v1.2.0', c[3])
    expect(rerun.code).toBe(0)
    // The release holds the fields now, and the create's answer shows the deploy: nothing else is sent.
    expect(requestLines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`])
    expect(fx.emulator.deploys('acme', 'v1.2.0')).toEqual([deploy])
    await fx.emulator.settle()
    expect(fx.emulator.release('acme', 'v1.2.0')).toEqual(before)
    expect(rerun.outputs).toMatchObject({ deployId: deploy.id, deployCount: '1' })
    expect(rerun.summary).toContain('(recorded by an earlier run of this event; not sent again)')
  })

  // Sentry cannot update a deploy, so a workflow on both events records two: the deployment's (started), then
  // the success's (finished, with its url). The success is told apart by its finish time; a rerun of either
  // records nothing more.
  test('success after a run of the deployment event: a second, finished deploy; reruns of either add none', async () => {
    seed({ version: 'v1.2.0' })
    const deployment = () => run('deployment', deploymentPayload(c[3], 'v1.2.0'), 'refs/tags/v1.2.0', c[3])
    expect((await deployment()).code).toBe(0)
    const result = await run('deployment_status', success(), 'refs/tags/v1.2.0', c[3])
    expect(result.code).toBe(0)
    const deploys = fx.emulator.deploys('acme', 'v1.2.0')
    expect(deploys).toEqual([
      { id: expect.any(String), environment: 'production', dateStarted: CREATED, dateFinished: expect.any(String), name: null, url: null },
      {
        id: expect.any(String),
        environment: 'production',
        dateStarted: CREATED,
        dateFinished: FINISHED,
        name: null,
        url: 'https://acme.example.com'
      }
    ])
    expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({ deployCount: 2, lastDeploy: deploys[1] })
    expect(result.outputs).toMatchObject({ deployId: deploys[1].id, deployCount: '2' })
    expect(JSON.parse(result.outputs.lastDeploy)).toEqual(deploys[1])

    expect((await run('deployment_status', success(), 'refs/tags/v1.2.0', c[3])).code).toBe(0)
    const rerun = await deployment()
    expect(rerun.code).toBe(0)
    expect(fx.emulator.deploys('acme', 'v1.2.0')).toEqual(deploys)
    expect(rerun.outputs).toMatchObject({ deployId: deploys[1].id, deployCount: '2' })
  })

  // The release as the first run of this event left it: its fields, its deploy, then another environment's deploy.
  test('a rerun after a deploy to another environment finds its deploy in the list: the create, GET, no deploy POST', async () => {
    seed({
      version: 'v1.2.0',
      ...tagFields(FINISHED),
      deploys: [
        { environment: 'production', dateStarted: CREATED, dateFinished: FINISHED },
        { environment: 'staging', dateStarted: '2019-05-16T00:00:00Z', dateFinished: '2019-05-16T00:01:00Z' }
      ]
    })
    const result = await run('deployment_status', success(), 'refs/tags/v1.2.0', c[3])
    expect(result.code).toBe(0)
    expect(requestLines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, `GET ${TAG_PATH}deploys/ 200`])
    const deploys = fx.emulator.deploys('acme', 'v1.2.0')
    expect(deploys).toHaveLength(2)
    expect(result.outputs).toMatchObject({ deployId: deploys[0].id, deployCount: '2' })
  })

  // Besides the repository lookup and the release's create: one deploy list, one deploy, and no reading back.
  test('success after deploys of other events: at most four requests, and deployCount counts the new one', async () => {
    const earlier = { environment: 'production', dateStarted: '2019-05-01T00:00:00Z', dateFinished: '2019-05-01T00:01:00Z' }
    seed({ version: 'v1.2.0', ...tagFields(FINISHED), deploys: [earlier] })
    const result = await run('deployment_status', success(), 'refs/tags/v1.2.0', c[3])
    expect(result.code).toBe(0)
    expect(sent().map(({ method, status }) => `${method} ${status}`)).toEqual(['GET 200', 'POST 208', 'GET 200', 'POST 201'])
    expect(connections()).toBe(1)
    const deploys = fx.emulator.deploys('acme', 'v1.2.0')
    expect(result.outputs).toMatchObject({ deployId: deploys[1].id, deployCount: '2' })
    expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({ deployCount: 2, lastDeploy: { id: deploys[1].id } })
  })

  test.each(['pending', 'queued', 'in_progress'])('%s: the release is updated, no deploy, and a notice says so', async state => {
    seed({ version: 'v1.2.0' })
    const result = await run('deployment_status', deploymentStatusPayload(c[3], 'v1.2.0', state), 'refs/tags/v1.2.0', c[3])
    expect(result.code).toBe(0)
    expect(requestLines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, `PUT ${TAG_PATH} 200`])
    expect(fx.emulator.requests[2].body).toEqual(tagFields(FINISHED))
    expect(fx.emulator.deploys('acme', 'v1.2.0')).toEqual([])
    expect(annotations(result.stdout)).toContainEqual([
      'notice',
      `Deployment 145988746 to 'production' is '${state}': the release is updated; its deploy is recorded when the status is success.`
    ])
    expect(result.outputs).toMatchObject({ release: 'v1.2.0', deployCount: '0' })
    expect(result.outputs).not.toHaveProperty('deployId')
  })

  test.each([
    ['failure', 'it did not deploy'],
    ['error', 'it did not deploy'],
    ['inactive', 'there is no deploy to record']
  ])('%s: no request at all, and a notice says why', async (state, reason) => {
    const result = await run('deployment_status', deploymentStatusPayload(c[3], 'v1.2.0', state), 'refs/tags/v1.2.0', c[3])
    expect(result.code).toBe(0)
    expect(fx.emulator.requests).toEqual([])
    expect(annotations(result.stdout)).toEqual([
      ['notice', `Deployment 145988746 to 'production' is '${state}': ${reason}, so nothing is sent to Sentry.`]
    ])
    expect(result.outputs).toEqual({})
  })
})

describe('workflow_run', () => {
  test('releases workflow_run.head_sha, not GITHUB_SHA (the default branch tip)', async () => {
    const result = await run('workflow_run', workflowRunPayload(c[2]), 'refs/heads/main', c[4])
    expect(result.code).toBe(0)
    expect(requestLines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 201`])
    expect(fx.emulator.requests[1].body).toMatchObject({
      version: c[2],
      ref: c[2],
      refs: [{ repository: 'acme/web', commit: c[2], previousCommit: c[1] }],
      dateReleased: '2021-12-16T19:37:22.000Z'
    })
    expect(result.outputs).toMatchObject({ release: c[2], headCommit: c[2] })
  })

  test('with the environment input: a deploy too, started when the run ended', async () => {
    const result = await run('workflow_run', workflowRunPayload(c[2]), 'refs/heads/main', c[4], {
      environment: 'staging',
      deploy_name: 'nightly'
    })
    expect(result.code).toBe(0)
    expect(requestLines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 201`, `POST ${releasePath(c[2])}deploys/ 201`])
    expect(sent()[2]).toEqual({
      method: 'POST',
      path: `${releasePath(c[2])}deploys/`,
      status: 201,
      body: { environment: 'staging', name: 'nightly', dateStarted: '2021-12-16T19:37:22.000Z', projects: ['web'] }
    })
  })
})

describe('events without a deployment: the release only, dated by the event', () => {
  beforeEach(() => seed({ version: 'v1.2.0' }))

  test.each(RELEASE_ACTIONS)('release %s: the create of the tag and its fields, dateReleased = published_at', async action => {
    const payload = examplePayload('release', p => p.action === action)
    Object.assign(payload.release as object, { tag_name: 'v1.2.0' })
    const result = await run('release', payload, 'refs/tags/v1.2.0', c[3])
    expect(result.code).toBe(0)
    const refs = [{ repository: 'acme/web', commit: c[3], previousCommit: c[1] }]
    expect(sent()).toEqual([
      repositoryLookup(),
      { method: 'POST', path: RELEASES_PATH, status: 208, body: { version: 'v1.2.0', projects: ['web'], ...tagFields(PUBLISHED), refs } },
      { method: 'PUT', path: TAG_PATH, status: 200, body: tagFields(PUBLISHED) }
    ])
    expect(result.outputs).not.toHaveProperty('deployId')
  })

  test('create of a tag, without projects: one PUT, dateReleased = the push time', async () => {
    const payload = { ...examplePayload('create', p => p.ref_type === 'tag'), ref: 'v1.2.0' }
    const result = await run('create', payload, 'refs/tags/v1.2.0', c[3], { projects: '' })
    expect(result.code).toBe(0)
    expect(requestLines()).toEqual([LOOKUP_LINE, `PUT ${TAG_PATH} 200`])
    expect(fx.emulator.requests[1].body).toMatchObject({ ref: c[3], dateReleased: CREATED_TAG })
  })
})

describe('a tag push with the environment input', () => {
  beforeEach(() => seed({ version: 'v1.2.0' }))

  test('the release, then the deploy; a rerun (no date_released input) sends the same date and records nothing more', async () => {
    const inputs = { environment: 'production', deploy_url: 'https://acme.example.com' }
    const first = await fx.pushTag('v1.2.0', inputs)
    expect(first.code).toBe(0)
    expect(requestLines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, `PUT ${TAG_PATH} 200`, `POST ${TAG_PATH}deploys/ 201`])
    expect(fx.emulator.requests[1].body).toMatchObject({ dateReleased: PUSHED })
    expect(fx.emulator.requests[2].body).toEqual(tagFields(PUSHED))
    expect(fx.emulator.requests[3].body).toEqual({
      environment: 'production',
      url: 'https://acme.example.com',
      dateStarted: PUSHED,
      projects: ['web']
    })
    const [deploy] = fx.emulator.deploys('acme', 'v1.2.0')
    expect(first.outputs).toMatchObject({ deployId: deploy.id, deployCount: '1' })

    await fx.emulator.settle()
    const before = fx.emulator.release('acme', 'v1.2.0')
    const rerun = await fx.pushTag('v1.2.0', inputs)
    expect(rerun.code).toBe(0)
    // The release holds the fields and shows the deploy: the create alone.
    expect(requestLines().slice(4)).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`])
    expect(fx.emulator.requests[5].body).toEqual(fx.emulator.requests[1].body)
    await fx.emulator.settle()
    expect(fx.emulator.release('acme', 'v1.2.0')).toEqual(before)
    expect(fx.emulator.deploys('acme', 'v1.2.0')).toEqual([deploy])
    expect(rerun.outputs).toMatchObject({ deployId: deploy.id, deployCount: '1' })
  })

  test('a missing release: the lookup, the create, the deploy; three requests and no GET of the deploys', async () => {
    seed()
    const result = await fx.pushTag('v1.2.0', { environment: 'staging', started_at: '1717236000' })
    expect(result.code).toBe(0)
    expect(requestLines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 201`, `POST ${TAG_PATH}deploys/ 201`])
    expect(connections()).toBe(1)
    expect(fx.emulator.requests[2].body).toEqual({ environment: 'staging', dateStarted: '2024-06-01T10:00:00.000Z', projects: ['web'] })
    expect(result.outputs).toMatchObject({ deployCount: '1', deployId: fx.emulator.deploys('acme', 'v1.2.0')[0].id })
  })
})
