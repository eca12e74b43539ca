import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { defaultSeed, startEmulator, type Emulator } from '../../emulator/index.js'
import { call, releasePath } from './client.js'
import { repoWithCommits } from '../helpers/git-repo.js'

let em: Emulator
let repo: Awaited<ReturnType<typeof repoWithCommits>>
beforeAll(async () => {
  repo = await repoWithCommits(4)
  em = await startEmulator({ git: repo.dir, fetchDelayMs: 5 })
})
afterAll(async () => {
  await em.stop()
  await repo.remove()
})

const putRefs = (version: string, ref: object) => call(em.url, 'PUT', releasePath(version), { refs: [{ repository: 'acme/web', ...ref }] })

test('without previousCommit or previous release: the last commits up to the head', async () => {
  em.reset({ ...defaultSeed(), releases: [{ org: 'acme', version: '1', projects: ['web'] }] })
  await putRefs('1', { commit: repo.commits[1] })
  await em.settle()
  const release = em.release('acme', '1')
  expect(release).toMatchObject({
    commitCount: 2,
    lastCommit: { id: repo.commits[1], message: 'change 2', author: { name: 'Test Author', email: 'author@example.com' } },
    authors: [{ name: 'Test Author', email: 'author@example.com' }]
  })
})

test('the previous release head commit is the start of the range', async () => {
  em.reset({
    ...defaultSeed(),
    releases: [
      { org: 'acme', version: '1', projects: ['web'], dateCreated: '2024-01-01T00:00:00Z', headCommits: [{ repository: 'acme/web', commit: repo.commits[0] }] },
      { org: 'acme', version: '2', projects: ['web'], dateCreated: '2024-02-01T00:00:00Z' }
    ]
  })
  await putRefs('2', { commit: repo.commits[3] })
  await em.settle()
  expect(em.release('acme', '2')).toMatchObject({ commitCount: 3, lastCommit: { id: repo.commits[3] } })
})

test('an a..b range overrides previousCommit', async () => {
  em.reset({ ...defaultSeed(), releases: [{ org: 'acme', version: '3', projects: ['web'] }] })
  await putRefs('3', { commit: `${repo.commits[2]}..${repo.commits[3]}`, previousCommit: repo.commits[0] })
  await em.settle()
  expect(em.release('acme', '3')).toMatchObject({ commitCount: 1, lastCommit: { id: repo.commits[3] } })
})

test('an unknown commit leaves the commits as they were (provider error)', async () => {
  em.reset({ ...defaultSeed(), releases: [{ org: 'acme', version: '4', projects: ['web'] }] })
  await putRefs('4', { commit: 'f'.repeat(40) })
  await em.settle()
  expect(em.release('acme', '4')).toMatchObject({ commitCount: 0, lastCommit: null })
})

test('hang keeps the request open until stop()', async () => {
  const hung = await startEmulator()
  hung.addFault({ hang: true })
  const pending = call(hung.url, 'GET', releasePath('1')).catch(e => e as Error)
  await new Promise(resolve => setTimeout(resolve, 50))
  expect(hung.requests.map(r => r.status)).toEqual([0])
  await hung.stop()
  expect(String(await pending)).toMatch(/fetch failed/)
})
