// Sentry's organization releases create tests (TR) and the version rules of docs/sentry-api.md section 2.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { makeOrgToken, startEmulator, type Emulator } from '../../emulator/index.js'
import { call } from './client.js'
import { seedWith } from './seeds.js'

let em: Emulator
// The background fetch starts after a delay long enough for a loaded machine to read the state the request left first.
beforeAll(async () => {
  em = await startEmulator({ fetchDelayMs: 300 })
})
afterAll(async () => {
  await em.stop()
})
beforeEach(() => em.reset(seedWith()))

const create = (body: unknown, token?: string) => call(em.url, 'POST', '/api/0/organizations/acme/releases/', body, token)
const notAllowed = (v: string) => ({ version: [`Release with name ${v} is not allowed`] })

describe('OrganizationReleaseCreateTest', () => {
  test('test_duplicate: 201 when a project is added, 208 when unchanged, commits replaced', async () => {
    expect((await create({ version: '1.2.1', projects: ['web'] })).status).toBe(201)
    expect((await create({ version: '1.2.1', projects: ['web', 'api'] })).status).toBe(201)
    const again = await create({ version: '1.2.1', projects: ['web'], commits: [{ id: 'c1' }, { id: 'c2' }] })
    expect(again).toMatchObject({ status: 208, body: { commitCount: 2 } })
    expect((await create({ version: '1.2.1', projects: ['web'], commits: [{ id: 'c3' }] })).body).toMatchObject({ commitCount: 1 })
  })

  test('test_activity: 208 then 201 when a project is added', async () => {
    await create({ version: 'a', projects: ['web'] })
    expect((await create({ version: 'a', projects: ['web'] })).status).toBe(208)
    expect((await create({ version: 'a', projects: ['api'] })).status).toBe(201)
  })

  test('test_project_ids_as_strings and ints', async () => {
    const created = (await create({ version: 'x', projects: ['web'] })).body as { projects: Array<{ id: number }> }
    const id = created.projects[0].id
    expect((await create({ version: 'y', projects: [String(id)] })).status).toBe(201)
    expect((await create({ version: 'z', projects: [id] })).status).toBe(201)
  })

  test('test_bad_project_slug', async () => {
    expect(await create({ version: 'x', projects: ['nope'] })).toMatchObject({
      status: 400,
      body: { projects: ['Invalid project ids or slugs'] }
    })
  })

  test('projects and version are required', async () => {
    const res = await create({})
    expect([res.status, res.body]).toEqual([400, { version: ['This field is required.'], projects: ['This field is required.'] }])
  })

  test('test_version_whitespace', async () => {
    for (const v of ['1.2.3\n', '\n1.2.3', '1.\n2.3', '1.2.3\f', '1.2.3\t']) {
      expect(await create({ version: v, projects: ['web'] })).toMatchObject({ status: 400, body: notAllowed(v) })
    }
    expect(await create({ version: '1.2.3+dev', projects: ['web'] })).toMatchObject({ status: 201, body: { version: '1.2.3+dev' } })
  })

  test('test_version_does_not_allow_whitespace or slashes', async () => {
    for (const v of ['a\rb', 'a/b', 'a\\b']) expect((await create({ version: v, projects: ['web'] })).body).toEqual(notAllowed(v))
  })

  test('leading and trailing spaces are kept and valid', async () => {
    expect((await create({ version: ' 1.0 ', projects: ['web'] })).body).toMatchObject({ version: ' 1.0 ' })
  })

  test('test_version_does_not_allow_current_dir_path', async () => {
    for (const v of ['.', '..']) expect((await create({ version: v, projects: ['web'] })).body).toEqual(notAllowed(v))
  })

  test('test_version_does_not_allow_null_or_empty_value', async () => {
    expect((await create({ version: null, projects: ['web'] })).body).toEqual({ version: ['This field may not be null.'] })
    expect((await create({ version: '', projects: ['web'] })).body).toEqual({ version: ['This field may not be blank.'] })
  })

  test('test_version_cannot_be_latest', async () => {
    for (const v of ['latest', 'Latest', ' LATEST ']) expect((await create({ version: v, projects: ['web'] })).body).toEqual(notAllowed(v))
  })

  test('test_version_limited_by_max_version_length', async () => {
    expect((await create({ version: 'v'.repeat(200), projects: ['web'] })).status).toBe(201)
    expect((await create({ version: 'v'.repeat(201), projects: ['web'] })).body).toEqual({
      version: ['Ensure this field has no more than 200 characters.']
    })
  })

  test('the length counts code points like Python: 150 or 200 emoji pass, 201 fail', async () => {
    const rockets = (n: number) => '\u{1F680}'.repeat(n)
    expect(await create({ version: rockets(150), projects: ['web'] })).toMatchObject({ status: 201, body: { version: rockets(150) } })
    expect((await create({ version: rockets(200), projects: ['web'] })).status).toBe(201)
    expect((await create({ version: rockets(201), projects: ['web'] })).body).toEqual({
      version: ['Ensure this field has no more than 200 characters.']
    })
  })

  test('test_org_auth_token: a token without scopes and a token of another org get 403', async () => {
    const seed = seedWith()
    const otherOrgToken = makeOrgToken({ org: 'globex', url: em.url })
    seed.tokens.push({ token: 'sntryu_empty', scopes: [] }, { token: otherOrgToken, scopes: ['org:ci'] })
    em.reset(seed)
    const forbidden = { status: 403, body: { detail: 'You do not have permission to perform this action.' } }
    expect(await create({ version: 'x', projects: ['web'] }, 'sntryu_empty')).toMatchObject(forbidden)
    expect(await create({ version: 'x', projects: ['web'] }, otherOrgToken)).toMatchObject(forbidden)
  })

  test('OrganizationReleaseCommitRangesTest: a range sets previousCommit and the head commit', async () => {
    const range = `${'a'.repeat(40)}..${'b'.repeat(40)}`
    const res = await create({ version: 'r', projects: ['web'], refs: [{ repository: 'acme/web', commit: range }] })
    expect(res.status).toBe(201)
    await em.settle()
    expect(em.release('acme', 'r')).toMatchObject({ lastCommit: { id: 'b'.repeat(40) } })
  })

  test('refs to an unknown repository: 400 after the release was created', async () => {
    const res = await create({ version: 'u', projects: ['web'], refs: [{ repository: 'nope', commit: 'a' }] })
    expect(res).toMatchObject({ status: 400, body: { refs: ['Invalid repository names: nope'] } })
    expect(em.release('acme', 'u')).toBeDefined()
  })

  test('the User-Agent is recorded on create', async () => {
    await call(em.url, 'POST', '/api/0/organizations/acme/releases/', { version: 'ua', projects: ['web'] })
    expect(em.release('acme', 'ua')).toMatchObject({ userAgent: 'node' })
  })

  test('208 on an existing release: ref, url and dateReleased stay as they were (get_or_create defaults)', async () => {
    const first = { version: 'e', projects: ['web'], ref: 'one', url: 'https://one.example.com', dateReleased: '2024-01-01T00:00:00Z' }
    await create(first)
    const again = await create({ ...first, ref: 'two', url: 'https://two.example.com', dateReleased: '2024-02-02T00:00:00Z' })
    expect(again).toMatchObject({
      status: 208,
      body: { ref: 'one', url: 'https://one.example.com', dateReleased: '2024-01-01T00:00:00.000Z' }
    })
    // Adding a project makes it 201, still without applying the fields.
    expect(await create({ ...first, projects: ['web', 'api'], ref: 'three' })).toMatchObject({ status: 201, body: { ref: 'one' } })
  })

  test('a differing status is saved on an existing release; commits and refs are processed on a 208', async () => {
    await create({ version: 's', projects: ['web'] })
    expect(await create({ version: 's', projects: ['web'], status: 'archived' })).toMatchObject({
      status: 208,
      body: { status: 'archived' }
    })
    const refs = await create({ version: 's', projects: ['web'], refs: [{ repository: 'acme/web', commit: 'f'.repeat(40) }] })
    expect(refs.status).toBe(208)
    expect(em.pendingFetches()).toBe(1)
    await em.settle()
    expect(em.release('acme', 's')).toMatchObject({ commitCount: 1, lastCommit: { id: 'f'.repeat(40) } })
  })

  test('the same project twice is added once', async () => {
    expect((await create({ version: 'd', projects: ['web', 'web'] })).body).toMatchObject({ projects: [{ slug: 'web' }] })
  })

  test('list: newest first', async () => {
    await create({ version: 'one', projects: ['web'] })
    await create({ version: 'two', projects: ['web'] })
    const list = await call(em.url, 'GET', '/api/0/organizations/acme/releases/')
    expect((list.body as Array<{ version: string }>).map(r => r.version)).toEqual(['two', 'one'])
  })
})
