// Sentry's ReleaseDeploysTest / ReleaseDeploysCreateTest (TD) and the deploy rules of docs/sentry-api.md section 7.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { DEFAULT_ORG_TOKEN, startEmulator, type Emulator } from '../../emulator/index.js'
import { call, releasePath } from './client.js'
import { seedWith } from './seeds.js'

let em: Emulator
beforeAll(async () => {
  em = await startEmulator()
})
afterAll(async () => {
  await em.stop()
})
beforeEach(() => em.reset(seedWith({ version: 'v1', projects: ['web', 'api'] }, { version: 'hidden', projects: [] })))

const deploy = (body: unknown, version = 'v1', token?: string) => call(em.url, 'POST', `${releasePath(version)}deploys/`, body, token)
const list = async () => (await call(em.url, 'GET', `${releasePath('v1')}deploys/`)).body as Array<{ environment: string; name: string }>

describe('ReleaseDeploysCreateTest', () => {
  test('test_simple', async () => {
    const res = await deploy({
      environment: 'production',
      name: 'deploy 1',
      url: 'https://ci.example.com/1',
      dateStarted: '2024-01-01T00:00:00Z',
      dateFinished: '2024-01-01T00:05:00Z'
    })
    expect(res).toMatchObject({ status: 201 })
    expect(res.body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      environment: 'production',
      dateStarted: '2024-01-01T00:00:00.000Z',
      dateFinished: '2024-01-01T00:05:00.000Z',
      name: 'deploy 1',
      url: 'https://ci.example.com/1'
    })
    expect(em.release('acme', 'v1')).toMatchObject({ deployCount: 1, lastDeploy: res.body })
  })

  test('test_with_project_slugs and ids', async () => {
    expect((await deploy({ environment: 'production', projects: ['web'] })).status).toBe(201)
    const api = (em.release('acme', 'v1')?.projects as Array<{ id: number; slug: string }>).find(p => p.slug === 'api')!
    expect((await deploy({ environment: 'staging', projects: [api.id] })).status).toBe(201)
  })

  test('test_with_invalid_project_slug', async () => {
    expect(await deploy({ environment: 'production', projects: ['nope'] })).toMatchObject({
      status: 400,
      body: { projects: ['Invalid project'] }
    })
  })

  test('a project of the org that is not on the release', async () => {
    em.reset(seedWith({ version: 'v1', projects: ['web'] }))
    const res = await deploy({ environment: 'production', projects: ['api'] })
    expect(res).toMatchObject({
      status: 400,
      body: { detail: { code: 'parameter-validation-error', message: 'Invalid projects (api) for release v1', extra: { context: '' } } }
    })
  })

  test('test_environment_validation_failure', async () => {
    for (const [body, errors] of [
      [{ environment: 'bad/env' }, { environment: ['Invalid value for environment'] }],
      [{ environment: 'bad\nenv' }, { environment: ['Invalid value for environment'] }],
      [{}, { environment: ['This field is required.'] }],
      [{ environment: 'e'.repeat(65) }, { environment: ['Ensure this field has no more than 64 characters.'] }],
      [{ environment: 'prod', name: 'n'.repeat(65) }, { name: ['Ensure this field has no more than 64 characters.'] }],
      [{ environment: 'prod', url: 'nope' }, { url: ['Enter a valid URL.'] }],
      [{ environment: 'prod', projects: [] }, { projects: ['This list may not be empty.'] }]
    ] as const) {
      const res = await deploy(body)
      expect([res.status, res.body]).toEqual([400, errors])
    }
  })

  test('test_api_token_with_project_releases_scope and org token', async () => {
    const seed = seedWith({ version: 'v1' })
    seed.tokens.push({ token: 'releases-token', scopes: ['project:releases'] })
    em.reset(seed)
    expect((await deploy({ environment: 'production' }, 'v1', 'releases-token')).status).toBe(201)
    expect((await deploy({ environment: 'production' }, 'v1', DEFAULT_ORG_TOKEN)).status).toBe(201)
  })

  test('unknown or hidden release: 404', async () => {
    expect((await deploy({ environment: 'production' }, 'nope')).status).toBe(404)
    expect((await deploy({ environment: 'production' }, 'hidden')).status).toBe(404)
  })
})

describe('ReleaseDeploysListTest', () => {
  test('only the current deploy of each project environment, newest finish first', async () => {
    await deploy({ environment: 'staging', name: 's1', dateFinished: '2024-01-01T00:00:00Z' })
    await deploy({ environment: 'production', name: 'p1', dateFinished: '2024-01-02T00:00:00Z' })
    await deploy({ environment: 'production', name: 'p2', dateFinished: '2024-01-03T00:00:00Z', projects: ['web'] })
    expect((await list()).map(d => d.name)).toEqual(['p2', 'p1', 's1'])
    await deploy({ environment: 'production', name: 'p3', dateFinished: '2024-01-04T00:00:00Z' })
    expect((await list()).map(d => d.name)).toEqual(['p3', 's1'])
    expect(em.deploys('acme', 'v1').map(d => d.name)).toEqual(['s1', 'p1', 'p2', 'p3'])
    expect(em.release('acme', 'v1')).toMatchObject({ deployCount: 4, lastDeploy: { name: 'p3' } })
  })
})
