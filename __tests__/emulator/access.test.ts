// Personal (user) tokens: scopes and team membership where Sentry checks them (api/bases/organization.py, access.py).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { DEFAULT_ORG_TOKEN, startEmulator, type Emulator } from '../../emulator/index.js'
import { call, releasePath } from './client.js'
import { seedWith } from './seeds.js'

let em: Emulator
beforeAll(async () => {
  em = await startEmulator({ fetchDelayMs: 5 })
})
afterAll(async () => {
  await em.stop()
})

/** A personal token with project:releases whose user is on the team of project web only. */
const RELEASES = 'sntryu_releases_web_member'
/** A personal token with project:write (no project:releases), member of web only. */
const WRITE = 'sntryu_write_web_member'
beforeEach(() => {
  const seed = seedWith({ version: 'web-only' }, { version: 'both', projects: ['web', 'api'] }, { version: 'api-only', projects: ['api'] })
  seed.tokens.push(
    { token: RELEASES, scopes: ['project:releases'], projects: ['web'] },
    { token: WRITE, scopes: ['project:write'], projects: ['web'] }
  )
  em.reset(seed)
})

const notFound = { status: 404, body: { detail: 'The requested resource does not exist' } }
const create = (body: object, token: string) => call(em.url, 'POST', '/api/0/organizations/acme/releases/', body, token)
const deploy = (version: string, body: object, token: string) => call(em.url, 'POST', `${releasePath(version)}deploys/`, body, token)

describe('a user token with project:releases, member of one project', () => {
  test('reads any release (get_projects gives it every project) but changes only those all of whose projects it reaches', async () => {
    expect((await call(em.url, 'GET', releasePath('both'), undefined, RELEASES)).status).toBe(200)
    expect((await call(em.url, 'GET', releasePath('api-only'), undefined, RELEASES)).status).toBe(200)
    expect(await call(em.url, 'PUT', releasePath('both'), { ref: 'x' }, RELEASES)).toMatchObject(notFound)
    expect(await deploy('both', { environment: 'prod' }, RELEASES)).toMatchObject(notFound)
    expect(await call(em.url, 'DELETE', releasePath('both'), undefined, RELEASES)).toMatchObject(notFound)
    expect(await call(em.url, 'PUT', releasePath('web-only'), { ref: 'x' }, RELEASES)).toMatchObject({ status: 200, body: { ref: 'x' } })
    expect(em.release('acme', 'both')).toMatchObject({ ref: null })
  })

  test('creates on any project, but not on an existing release with a project it cannot access', async () => {
    expect((await create({ version: 'new', projects: ['api'] }, RELEASES)).status).toBe(201)
    expect(await create({ version: 'both', projects: ['web'] }, RELEASES)).toMatchObject({
      status: 400,
      body: { projects: ['You do not have permission to one of the projects: web, api'] }
    })
  })

  test('a deploy naming a project outside its teams: "Insufficient access to project"', async () => {
    const seed = seedWith({ version: 'web-only' })
    seed.tokens.push({ token: RELEASES, scopes: ['project:releases'], projects: ['web'] })
    em.reset(seed)
    expect(await deploy('web-only', { environment: 'prod', projects: ['api'] }, RELEASES)).toMatchObject({
      status: 400,
      body: { projects: ['Insufficient access to project'] }
    })
  })

  test('may not list repositories: that needs an org scope (OrganizationIntegrationsLoosePermission)', async () => {
    expect(await call(em.url, 'GET', '/api/0/organizations/acme/repos/', undefined, RELEASES)).toMatchObject({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' }
    })
    expect((await call(em.url, 'GET', '/api/0/organizations/acme/repos/', undefined, DEFAULT_ORG_TOKEN)).status).toBe(200)
  })
})

describe('a user token without project:releases, member of one project', () => {
  test('sees and uses only its projects', async () => {
    expect(await call(em.url, 'GET', releasePath('api-only'), undefined, WRITE)).toMatchObject(notFound)
    expect((await call(em.url, 'GET', releasePath('both'), undefined, WRITE)).status).toBe(200)
    expect(await create({ version: 'new', projects: ['api'] }, WRITE)).toMatchObject({
      status: 400,
      body: { projects: ['Invalid project ids or slugs'] }
    })
    const listed = (await call(em.url, 'GET', '/api/0/organizations/acme/releases/', undefined, WRITE)).body as Array<{ version: string }>
    expect(listed.map(r => r.version).sort()).toEqual(['both', 'web-only'])
  })
})

test('defaults stay open: seeded user tokens without "projects" reach every project', async () => {
  expect((await call(em.url, 'PUT', releasePath('both'), { ref: 'x' })).status).toBe(200)
  expect((await deploy('both', { environment: 'prod', projects: ['api'] }, DEFAULT_ORG_TOKEN)).status).toBe(201)
})
