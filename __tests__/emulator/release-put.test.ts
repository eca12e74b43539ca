// Sentry's UpdateReleaseDetailsTest and ReleaseDeleteTest (docs/sentry-api.md section 9, cases 20-38).
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
beforeEach(() =>
  em.reset(
    seedWith(
      { version: 'base', dateCreated: '2024-01-01T00:00:00Z', headCommits: [{ repository: 'acme/web', commit: 'b'.repeat(40) }] },
      { version: 'v1', dateCreated: '2024-02-01T00:00:00Z' },
      { version: 'hidden', projects: [] }
    )
  )
)

const put = (body: unknown, version = 'v1', token?: string) => call(em.url, 'PUT', releasePath(version), body, token)
const sha = 'a'.repeat(40)
const commit = (id: string, extra: object = {}) => ({ id, repository: 'acme/web', ...extra })

describe('UpdateReleaseDetailsTest', () => {
  test('test_simple', async () => {
    const res = await put({ ref: 'master', refs: [{ repository: 'acme/web', commit: sha }] })
    expect(res).toMatchObject({ status: 200, body: { version: 'v1', ref: 'master', commitCount: 0 } })
    // fetch_commits starts from the base release's head commit: only the head is new here (no git dir).
    expect(em.pendingFetches()).toBe(1)
    await em.settle()
    expect(em.release('acme', 'v1')).toMatchObject({ commitCount: 1, lastCommit: { id: sha } })
    expect((await put({ ref: 'master' }, 'hidden')).status).toBe(404)
  })

  test('test_deprecated_head_commits', async () => {
    const res = await put({ headCommits: [{ currentId: sha, repository: 'acme/web' }] })
    expect(res.status).toBe(200)
    await em.settle()
    expect(em.release('acme', 'v1')).toMatchObject({ commitCount: 1, lastCommit: { id: sha } })
  })

  test('test_commits', async () => {
    const res = await put({ commits: [commit('a' + '0'.repeat(39)), commit('b' + '0'.repeat(39))] })
    expect(res).toMatchObject({ status: 200, body: { commitCount: 2 } })
  })

  test('test_commits_patchset_character_limit_255', async () => {
    const res = await put({ commits: [commit(sha, { patch_set: [{ path: 'x'.repeat(275), type: 'M' }] })] })
    expect(res.status).toBe(200)
  })

  test('test_commits_patchset_character_limit_reached', async () => {
    const res = await put({ commits: [commit(sha, { patch_set: [{ path: 'x'.repeat(511), type: 'M' }] })] })
    expect(res).toEqual(
      expect.objectContaining({
        status: 400,
        body: { commits: { patch_set: { path: ['Ensure this field has no more than 510 characters.'] } } }
      })
    )
  })

  test('test_commits_lock_conflict', async () => {
    em.addFault({ method: 'PUT', commitLock: true })
    const res = await put({ commits: [commit(sha)] })
    expect(res).toMatchObject({ status: 409, body: { detail: 'Release commits are currently being processed' } })
  })

  test('test_release_archiving', async () => {
    expect(await put({ status: 'archived' })).toMatchObject({ status: 200, body: { status: 'archived' } })
  })

  test('test_activity_generation', async () => {
    const res = await put({ dateReleased: '2024-03-01T10:00:00Z' })
    expect(res).toMatchObject({ status: 200, body: { dateReleased: '2024-03-01T10:00:00.000Z' } })
  })

  test('test_activity_generation_long_release', async () => {
    const version = 'x'.repeat(65)
    em.reset(seedWith({ version }))
    expect((await put({ dateReleased: '2024-03-01T10:00:00Z' }, version)).status).toBe(200)
  })

  test('test_org_auth_token', async () => {
    const res = await put({ ref: 'master', refs: [{ repository: 'acme/web', commit: sha }] }, 'v1', DEFAULT_ORG_TOKEN)
    expect(res).toMatchObject({ status: 200, body: { ref: 'master' } })
  })

  test('test_no_access_to_all_projects (a release on no project)', async () => {
    expect((await put({ ref: 'master' }, 'hidden')).status).toBe(404)
  })

  test('test_no_access_to_all_projects_with_open_membership', async () => {
    em.reset(seedWith({ version: 'both', projects: ['web', 'api'] }))
    expect((await put({ ref: 'master' }, 'both')).status).toBe(200)
  })

  test('test_bad_repo_name', async () => {
    const res = await put({ version: '1.2.1', projects: ['web'], refs: [{ repository: 'not_a_repo', commit: sha }] })
    expect(res).toMatchObject({ status: 400, body: { refs: ['Invalid repository names: not_a_repo'] } })
  })

  test('test_bad_commit_list', async () => {
    const res = await put({ version: '1.2.1', projects: ['web'], commits: [{ repository: 'acme/web' }] })
    expect(res).toMatchObject({ status: 400, body: { commits: { id: ['This field is required.'] } } })
  })
})

describe('ReleaseDeleteTest', () => {
  const del = (version: string, token?: string) => call(em.url, 'DELETE', releasePath(version), undefined, token)

  test('test_simple: org:ci may not delete (DELETE needs project:admin or project:releases)', async () => {
    expect(await del('v1')).toMatchObject({ status: 403, body: { detail: 'You do not have permission to perform this action.' } })
  })

  test('test_simple: 204 and the release is gone', async () => {
    const seed = seedWith({ version: 'v1' })
    seed.tokens.push({ token: 'releases-token', scopes: ['project:releases'] })
    em.reset(seed)
    expect((await del('v1', 'releases-token')).status).toBe(204)
    expect(em.release('acme', 'v1')).toBeUndefined()
  })

  test('test_simple: no access to all projects is a 404', async () => {
    const seed = seedWith({ version: 'hidden', projects: [] })
    seed.tokens.push({ token: 'releases-token', scopes: ['project:releases'] })
    em.reset(seed)
    expect((await del('hidden', 'releases-token')).status).toBe(404)
  })

  // test_existing_group (a 400 when issues were first seen in the release) is not re-expressed: the emulator
  // models no issues or events, and no client of these endpoints deletes releases.
})
