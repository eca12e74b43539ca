import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { DEFAULT_ORG_TOKEN, makeOrgToken, startEmulator, type Emulator } from '../../emulator/index.js'
import { call, releasePath } from './client.js'

let em: Emulator
beforeAll(async () => {
  em = await startEmulator({ fetchDelayMs: 10 })
})
afterAll(async () => {
  await em.stop()
})
beforeEach(() => em.reset())

const create = (version: string, extra: object = {}) =>
  call(em.url, 'POST', '/api/0/organizations/acme/releases/', { version, projects: ['web'], ...extra })

describe('core', () => {
  test('create, put, get round trip with the serializer shape', async () => {
    expect((await create('1.0.0')).status).toBe(201)
    expect((await create('1.0.0')).status).toBe(208)
    const put = await call(em.url, 'PUT', releasePath('1.0.0'), { ref: 'main', dateReleased: '2024-01-02T03:04:05Z' })
    expect(put.status).toBe(200)
    const body = put.body as Record<string, unknown>
    expect(Object.keys(body)).toEqual([
      'id',
      'version',
      'status',
      'shortVersion',
      'versionInfo',
      'ref',
      'url',
      'dateReleased',
      'dateCreated',
      'data',
      'newGroups',
      'owner',
      'commitCount',
      'lastCommit',
      'deployCount',
      'lastDeploy',
      'authors',
      'projects',
      'firstEvent',
      'lastEvent',
      'currentProjectMeta',
      'userAgent'
    ])
    expect(body).toMatchObject({ version: '1.0.0', ref: 'main', dateReleased: '2024-01-02T03:04:05.000Z', commitCount: 0 })
    expect(body.versionInfo).toEqual({
      package: null,
      description: '1.0.0',
      buildHash: null,
      version: { raw: '1.0.0', major: 1, minor: 0, patch: 0, pre: null, buildCode: null, components: 3 }
    })
    expect((await call(em.url, 'GET', releasePath('1.0.0'))).body).toEqual(em.release('acme', '1.0.0'))
  })

  test('auth: 401 with WWW-Authenticate, 403 without scope or for another org, 404 unknown org', async () => {
    const none = await call(em.url, 'GET', releasePath('x'), undefined, null)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toBe('xBasic realm="api"')
    expect(none.body).toEqual({ detail: 'Authentication credentials were not provided.' })
    expect((await call(em.url, 'GET', releasePath('x'), undefined, 'nope')).body).toEqual({ detail: 'Invalid token' })
    expect((await call(em.url, 'GET', releasePath('x'), undefined, 'sntrys_nope')).body).toEqual({ detail: 'Invalid org token' })
    expect((await call(em.url, 'GET', releasePath('x', 'nope'))).body).toEqual({ detail: 'The requested resource does not exist' })
    em.reset({
      orgs: [
        { slug: 'acme', projects: [{ slug: 'web' }], repositories: [] },
        { slug: 'other', projects: [], repositories: [] }
      ],
      tokens: [
        { token: 'noscope', scopes: [] },
        { token: makeOrgToken({ org: 'other', url: em.url }), scopes: ['org:ci'] }
      ]
    })
    const forbidden = { detail: 'You do not have permission to perform this action.' }
    expect(await call(em.url, 'GET', releasePath('x'), undefined, 'noscope')).toMatchObject({ status: 403, body: forbidden })
    expect(await call(em.url, 'GET', releasePath('x'), undefined, makeOrgToken({ org: 'other', url: em.url }))).toMatchObject({
      status: 403,
      body: forbidden
    })
  })

  test('org token of the default seed may create and read', async () => {
    expect(
      (await call(em.url, 'POST', '/api/0/organizations/acme/releases/', { version: 'v', projects: ['web'] }, DEFAULT_ORG_TOKEN)).status
    ).toBe(201)
  })

  test('refs record the head commit now and commits after the background fetch', async () => {
    await create('2.0.0')
    const sha = 'a'.repeat(40)
    const put = await call(em.url, 'PUT', releasePath('2.0.0'), { refs: [{ repository: 'acme/web', commit: sha }] })
    expect(put.body).toMatchObject({ commitCount: 0, lastCommit: null })
    expect(em.pendingFetches()).toBe(1)
    await em.settle()
    expect(em.release('acme', '2.0.0')).toMatchObject({ commitCount: 1, lastCommit: { id: sha } })
  })

  test('deploys bump deployCount and lastDeploy at once', async () => {
    await create('3.0.0')
    const dep = await call(em.url, 'POST', `${releasePath('3.0.0')}deploys/`, { environment: 'production' })
    expect(dep.status).toBe(201)
    expect(dep.body).toMatchObject({ environment: 'production', name: null, url: null, dateStarted: null })
    expect(em.release('acme', '3.0.0')).toMatchObject({ deployCount: 1, lastDeploy: dep.body })
    expect((await call(em.url, 'GET', `${releasePath('3.0.0')}deploys/`)).body).toEqual([dep.body])
    expect(em.deploys('acme', '3.0.0')).toEqual([dep.body])
  })

  test('faults: status with Retry-After for N requests, drop, log keeps faulted requests', async () => {
    em.addFault({ method: 'PUT', path: '/releases/', status: 503, retryAfter: '2', times: 1 })
    await create('4.0.0')
    const first = await call(em.url, 'PUT', releasePath('4.0.0'), { ref: 'x' })
    expect(first.status).toBe(503)
    expect(first.headers.get('retry-after')).toBe('2')
    expect((await call(em.url, 'PUT', releasePath('4.0.0'), { ref: 'x' })).status).toBe(200)
    em.addFault({ path: '/releases/', drop: true })
    await expect(call(em.url, 'GET', releasePath('4.0.0'))).rejects.toThrow()
    expect(em.requests.map(r => [r.method, r.status])).toEqual([
      ['POST', 201],
      ['PUT', 503],
      ['PUT', 200],
      ['GET', 0]
    ])
    expect(em.requests[1].body).toEqual({ ref: 'x' })
    expect(em.requests[1].headers.authorization).toMatch(/^Bearer sntryu_/)
  })

  test('faults: delayMs answers normally after the delay, once', async () => {
    const delayMs = 300
    await create('7.0.0')
    em.addFault({ method: 'GET', path: '/releases/', delayMs })
    const started = Date.now()
    const delayed = await call(em.url, 'GET', releasePath('7.0.0'))
    expect(Date.now() - started).toBeGreaterThanOrEqual(delayMs - 5)
    expect(delayed).toMatchObject({ status: 200, body: em.release('acme', '7.0.0') })
    const again = Date.now()
    expect((await call(em.url, 'GET', releasePath('7.0.0'))).status).toBe(200)
    expect(Date.now() - again).toBeLessThan(delayMs)
    expect(em.requests.map(r => [r.method, r.status])).toEqual([
      ['POST', 201],
      ['GET', 200],
      ['GET', 200]
    ])
  })

  test("faults: a 429 without body gets Sentry's body naming the endpoint's limit", async () => {
    const tooFrequent = (limit: number) => `You are attempting to use this endpoint too frequently. Limit is ${limit} requests in 1 seconds`
    em.addFault({ method: 'POST', status: 429 })
    expect(await create('8.0.0')).toMatchObject({ status: 429, body: { detail: tooFrequent(40) } })
    await create('8.0.0')
    em.addFault({ method: 'PUT', status: 429, retryAfter: '1' })
    const put = await call(em.url, 'PUT', releasePath('8.0.0'), { ref: 'x' })
    expect(put).toMatchObject({ status: 429, body: { detail: tooFrequent(999) } })
    expect(put.headers.get('retry-after')).toBe('1')
  })

  test('control routes', async () => {
    await create('5.0.0')
    const release = await call(em.url, 'GET', '/__emulator/releases/acme/5.0.0', undefined, null)
    expect(release.body).toMatchObject({ version: '5.0.0', _deploys: [] })
    expect(((await call(em.url, 'GET', '/__emulator/requests', undefined, null)).body as unknown[]).length).toBe(1)
    await call(em.url, 'POST', '/__emulator/faults', { status: 500, times: 'Infinity' }, null)
    expect((await create('6')).status).toBe(500)
    expect((await create('6')).status).toBe(500)
    await call(em.url, 'DELETE', '/__emulator/faults', undefined, null)
    expect((await create('6')).status).toBe(201)
    await call(em.url, 'POST', '/__emulator/reset', undefined, null)
    expect(em.release('acme', '6')).toBeUndefined()
  })
})
