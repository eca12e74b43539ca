// Repository rows: how Sentry lists, adds and picks them by name (emulator/README.md, "Repositories").
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { defaultSeed, startEmulator, type Emulator, type Seed } from '../../emulator/index.js'
import { call, releasePath } from './client.js'
import { providerlessRepository } from './seeds.js'

let em: Emulator
// The background fetch starts after a delay long enough for a loaded machine to read the state the request left first.
beforeAll(async () => {
  em = await startEmulator({ fetchDelayMs: 300 })
})
afterAll(async () => {
  await em.stop()
})
beforeEach(() => em.reset())

const sha = (c: string) => c.repeat(40)
const list = async (query = '') =>
  (await call(em.url, 'GET', `/api/0/organizations/acme/repos/${query}`)).body as Array<Record<string, unknown>>
const seedRepos = (...repositories: Seed['orgs'][number]['repositories']): Seed => {
  const seed = defaultSeed()
  seed.orgs[0].repositories = repositories
  seed.releases = [{ org: 'acme', version: 'v1', projects: ['web'] }]
  return seed
}

describe('RepositorySerializer and the repos list', () => {
  test('both kinds serialize as Sentry does', async () => {
    em.reset(
      seedRepos({ name: 'acme/web', provider: 'github', url: 'https://github.com/acme/web', externalId: '4711' }, { name: 'acme/cli' })
    )
    expect(await list()).toEqual([
      providerlessRepository('acme/cli'),
      {
        id: expect.stringMatching(/^\d+$/),
        name: 'acme/web',
        url: 'https://github.com/acme/web',
        provider: { id: 'integrations:github', name: 'GitHub' },
        status: 'active',
        dateCreated: expect.any(String),
        integrationId: '1',
        externalSlug: 'acme/web',
        externalId: '4711'
      }
    ])
  })

  test('status: active by default, deleted for the rest, empty for all, anything else for none; integration_id filters', async () => {
    em.reset(
      seedRepos({ name: 'a', provider: 'github' }, { name: 'b', status: 'disabled' }, { name: 'c', status: 'hidden', provider: 'github' })
    )
    const names = (rows: Array<Record<string, unknown>>) => rows.map(r => r.name)
    expect(names(await list())).toEqual(['a'])
    expect(names(await list('?status=deleted'))).toEqual(['b', 'c'])
    expect(names(await list('?status='))).toEqual(['a', 'b', 'c'])
    expect(await call(em.url, 'GET', '/api/0/organizations/acme/repos/?status=unmigratable')).toMatchObject({ status: 200, body: [] })
    expect(names(await list('?status=&integration_id=1'))).toEqual(['a', 'c'])
  })

  test('rows of one name are listed in the order they were made', async () => {
    em.reset(seedRepos({ name: 'acme/web' }))
    em.addRepository('acme', { name: 'acme/web', provider: 'github' })
    expect((await list()).map(r => (r.provider as { id: string }).id)).toEqual(['unknown', 'integrations:github'])
  })
})

describe('addRepository: what Sentry does when a repository is added', () => {
  test('the integration relinks its hidden row of the same external id instead of adding one', () => {
    em.reset(seedRepos({ name: 'acme/old-name', provider: 'github', externalId: '77', status: 'hidden' }))
    const before = em.repositories('acme')
    const added = em.addRepository('acme', { name: 'acme/web', provider: 'github', externalId: '77' })
    expect(added).toMatchObject({ id: before[0].id, name: 'acme/web', status: 'active', integrationId: '1', externalId: '77' })
    expect(em.repositories('acme')).toHaveLength(1)
  })

  test('the integration adopts a row without integration only when its external id matches', () => {
    em.reset(seedRepos({ name: 'acme/web', externalId: '88' }, { name: 'acme/web' }))
    const [withId, withoutId] = em.repositories('acme')
    const added = em.addRepository('acme', { name: 'acme/web', provider: 'github', externalId: '88' })
    expect(added).toMatchObject({ id: withId.id, provider: { id: 'integrations:github' }, integrationId: '1' })
    // The row `commits` made (no external id) is left as it was.
    expect(em.repositories('acme')[1]).toEqual(withoutId)
  })

  test('without provider it is one more row; the control route does the same and reports errors in one line', async () => {
    const res = await call(em.url, 'POST', '/__emulator/repositories/acme', { name: 'acme/web' }, null)
    expect(res).toMatchObject({ status: 201, body: { name: 'acme/web', provider: { id: 'unknown' }, integrationId: null } })
    expect((await call(em.url, 'GET', '/__emulator/repositories/acme', undefined, null)).body).toHaveLength(2)
    expect(await call(em.url, 'POST', '/__emulator/repositories/nope', { name: 'x' }, null)).toMatchObject({
      status: 400,
      body: { detail: 'addRepository: unknown org nope' }
    })
    expect(await call(em.url, 'POST', '/__emulator/repositories/acme', { provider: 'gitlab', name: 'x' }, null)).toMatchObject({
      status: 400,
      body: { detail: 'addRepository: provider must be "github" or absent, not "gitlab"' }
    })
  })
})

describe('which row of a name set_refs, set_commits and fetch_commits use', () => {
  test('set_refs: any row of the name, the newest, even a disabled one; an unknown name is a 400', async () => {
    em.reset(seedRepos({ name: 'acme/web', provider: 'github' }, { name: 'acme/web', status: 'disabled' }))
    const [, disabled] = em.repositories('acme')
    const res = await call(em.url, 'PUT', releasePath('v1'), { refs: [{ repository: 'acme/web', commit: sha('a') }] })
    expect(res.status).toBe(200)
    expect(em.headCommits('acme', 'v1')).toEqual([{ repository: 'acme/web', repositoryId: disabled.id, commit: sha('a') }])
    expect(await call(em.url, 'PUT', releasePath('v1'), { refs: [{ repository: 'acme/api', commit: sha('a') }] })).toMatchObject({
      status: 400,
      body: { refs: ['Invalid repository names: acme/api'] }
    })
  })

  test('fetch_commits: the newest ACTIVE row; nothing when it has no provider, even if an older row has one', async () => {
    em.reset(seedRepos({ name: 'acme/web', provider: 'github' }, { name: 'acme/web' }))
    await call(em.url, 'PUT', releasePath('v1'), { refs: [{ repository: 'acme/web', commit: sha('a') }] })
    await em.settle()
    expect(em.release('acme', 'v1')).toMatchObject({ commitCount: 0 })
    em.reset(seedRepos({ name: 'acme/web', provider: 'github' }, { name: 'acme/web', status: 'disabled' }))
    await call(em.url, 'PUT', releasePath('v1'), { refs: [{ repository: 'acme/web', commit: sha('b') }] })
    await em.settle()
    const [github] = em.repositories('acme')
    expect(em.release('acme', 'v1')).toMatchObject({ commitCount: 1, lastCommit: { id: sha('b'), repository: { id: github.id } } })
  })

  test('set_commits: the newest active row of the name, else a new one without provider', async () => {
    em.reset(seedRepos({ name: 'acme/web', provider: 'github' }, { name: 'acme/web', status: 'disabled' }))
    const put = await call(em.url, 'PUT', releasePath('v1'), { commits: [{ id: sha('c'), repository: 'acme/web' }, { id: sha('d') }] })
    const [github] = em.repositories('acme')
    expect(put.body).toMatchObject({ lastCommit: { repository: { id: github.id } } })
    // A commit without repository goes to "organization-{org id}", created on first use.
    expect(em.repositories('acme').map(r => [r.name, (r.provider as { id: string }).id])).toEqual([
      ['acme/web', 'integrations:github'],
      ['acme/web', 'unknown'],
      [expect.stringMatching(/^organization-\d+$/), 'unknown']
    ])
  })
})
