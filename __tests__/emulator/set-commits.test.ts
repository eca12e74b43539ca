// set_commits, set_refs and clear_commits on one release across requests (models/releases/set_commits.py, release.py).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import { call, releasePath } from './client.js'
import { seedWith } from './seeds.js'

let em: Emulator
beforeAll(async () => {
  em = await startEmulator({ fetchDelayMs: 5 })
})
afterAll(async () => {
  await em.stop()
})
beforeEach(() => em.reset(seedWith({ version: 'v1', ref: 'old-ref' })))

const put = (body: unknown, version = 'v1') => call(em.url, 'PUT', releasePath(version), body)
const sha = (c: string) => c.repeat(40)
const at = (minute: number) => `2024-01-01T00:${String(minute).padStart(2, '0')}:00Z`
const internalError = { detail: 'Internal Error', errorId: expect.stringMatching(/^[0-9a-f]{32}$/) }
const heads = () => em.headCommits('acme', 'v1').map(h => [h.repository, h.commit])

describe('head commits', () => {
  test('set_commits fills a missing head commit with the newest commit of each repository', async () => {
    await put({
      commits: [
        { id: sha('1'), repository: 'acme/web', timestamp: at(1) },
        { id: sha('2'), repository: 'acme/web', timestamp: at(2) },
        { id: sha('3'), repository: 'acme/api', timestamp: at(3) }
      ]
    })
    expect(heads()).toEqual([
      ['acme/web', sha('2')],
      ['acme/api', sha('3')]
    ])
  })

  test('set_commits keeps the head commit set_refs recorded', async () => {
    await put({ refs: [{ repository: 'acme/web', commit: sha('a') }] })
    await em.settle()
    const res = await put({ commits: [{ id: sha('b'), repository: 'acme/web', timestamp: at(9) }] })
    expect(res.body).toMatchObject({ commitCount: 1, lastCommit: { id: sha('b') } })
    expect(heads()).toEqual([['acme/web', sha('a')]])
    // refs replace it again.
    await put({ refs: [{ repository: 'acme/web', commit: sha('c') }] })
    expect(heads()).toEqual([['acme/web', sha('c')]])
  })

  test('refs: [] clears commits and the one head commit; with none or with two, ReleaseHeadCommit.get() fails: 500', async () => {
    expect(await put({ refs: [] })).toMatchObject({ status: 500, body: internalError })
    await put({ commits: [{ id: sha('1'), repository: 'acme/web' }] })
    expect(await put({ refs: [] })).toMatchObject({ status: 200, body: { commitCount: 0, lastCommit: null } })
    expect(heads()).toEqual([])
    await put({
      commits: [
        { id: sha('1'), repository: 'acme/web' },
        { id: sha('2'), repository: 'acme/api' }
      ]
    })
    expect(await put({ refs: [] })).toMatchObject({ status: 500, body: internalError })
    expect(em.release('acme', 'v1')).toMatchObject({ commitCount: 2 })
  })
})

describe("set_commits' sort and filter crash like Sentry", () => {
  test('present and absent timestamps mixed: 500 after the release fields were saved, commits unchanged', async () => {
    await put({ commits: [{ id: sha('0') }] })
    const res = await put({ ref: 'new-ref', commits: [{ id: sha('1'), timestamp: at(1) }, { id: sha('2') }] })
    expect(res).toMatchObject({ status: 500, body: internalError })
    expect(em.release('acme', 'v1')).toMatchObject({ ref: 'new-ref', commitCount: 1, lastCommit: { id: sha('0') } })
  })

  test('a null timestamp among two or more: 500; alone, or all absent, or all present: fine', async () => {
    expect(
      (
        await put({
          commits: [
            { id: sha('1'), timestamp: null },
            { id: sha('2'), timestamp: null }
          ]
        })
      ).status
    ).toBe(500)
    expect((await put({ commits: [{ id: sha('1'), timestamp: null }] })).status).toBe(200)
    expect((await put({ commits: [{ id: sha('1') }, { id: sha('2') }] })).body).toMatchObject({ lastCommit: { id: sha('1') } })
    const dated = await put({
      commits: [
        { id: sha('1'), timestamp: at(1) },
        { id: sha('2'), timestamp: at(2) }
      ]
    })
    expect(dated.body).toMatchObject({ commitCount: 2, lastCommit: { id: sha('2') } })
  })

  test('a null message meets the #skipsentry check ("in None"): 500', async () => {
    expect(await put({ commits: [{ id: sha('1'), message: null }] })).toMatchObject({ status: 500, body: internalError })
  })

  test('on create the release and its projects are saved before the crash', async () => {
    const res = await call(em.url, 'POST', '/api/0/organizations/acme/releases/', {
      version: 'v2',
      projects: ['web'],
      commits: [{ id: sha('1'), timestamp: at(1) }, { id: sha('2') }]
    })
    expect(res.status).toBe(500)
    expect(em.release('acme', 'v2')).toMatchObject({ projects: [{ slug: 'web' }], commitCount: 0 })
  })

  test('the sort comes before the commit lock: the crash wins over the 409', async () => {
    em.addFault({ method: 'PUT', commitLock: true, times: 2 })
    expect((await put({ commits: [{ id: sha('1'), timestamp: at(1) }, { id: sha('2') }] })).status).toBe(500)
    expect((await put({ commits: [{ id: sha('1') }] })).status).toBe(409)
  })
})
