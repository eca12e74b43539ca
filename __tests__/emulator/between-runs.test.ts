// A project's life in one emulator state: what Sentry keeps between runs (emulator/README.md, "Between runs").
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { defaultSeed, startEmulator, type Emulator } from '../../emulator/index.js'
import { call, releasePath } from './client.js'
import { providerlessRepository } from './seeds.js'
import { repoWithCommits, type TestRepo } from '../../harness/git-repo.js'

let em: Emulator
let repo: TestRepo & { commits: string[] }
beforeAll(async () => {
  repo = await repoWithCommits(7)
  // No repository at first: the GitHub integration is not installed.
  const seed = defaultSeed()
  seed.orgs[0].repositories = []
  em = await startEmulator({ seed, git: repo.dir, fetchDelayMs: 5 })
})
afterAll(async () => {
  await em.stop()
  await repo.remove()
})

const create = (version: string, body: object) =>
  call(em.url, 'POST', '/api/0/organizations/acme/releases/', { version, projects: ['web'], ...body })
const repos = async () => (await call(em.url, 'GET', '/api/0/organizations/acme/repos/')).body as Array<Record<string, unknown>>
/** Commits as the action sends them from git: author date as timestamp. */
const fromGit = async (...shas: string[]) =>
  Promise.all(
    shas.map(async id => {
      const [message, timestamp] = (await repo.git('log', '-1', '--format=%s%n%aI', id)).split('\n')
      return { id, repository: 'acme/web', message, timestamp }
    })
  )
const day = (n: number) => `2024-03-0${n}T12:00:00Z`

test('commits make a repository without provider; refs to it are accepted but fetch nothing until the integration adds one', async () => {
  const c = repo.commits
  // Run 1: refs name a repository Sentry does not know: 400 after the release was made; the fallback sends commits.
  expect(await create('1.0.0', { dateReleased: day(1), refs: [{ repository: 'acme/web', commit: c[1] }] })).toMatchObject({
    status: 400,
    body: { refs: ['Invalid repository names: acme/web'] }
  })
  const put = await call(em.url, 'PUT', releasePath('1.0.0'), { commits: await fromGit(c[1], c[0]) })
  expect(put).toMatchObject({
    status: 200,
    body: { commitCount: 2, lastCommit: { id: c[1], repository: { provider: { id: 'unknown' } } } }
  })
  const made = await repos()
  expect(made).toEqual([providerlessRepository('acme/web')])
  expect(em.headCommits('acme', '1.0.0')).toEqual([{ repository: 'acme/web', repositoryId: made[0].id, commit: c[1] }])

  // Run 2: refs are accepted now, the head commit is recorded, and fetch_commits skips the provider-less repository.
  expect(await create('1.1.0', { dateReleased: day(2), refs: [{ repository: 'acme/web', commit: c[3] }] })).toMatchObject({
    status: 201,
    body: { commitCount: 0 }
  })
  expect(em.pendingFetches()).toBe(1)
  await em.settle()
  expect(em.release('acme', '1.1.0')).toMatchObject({ commitCount: 0, lastCommit: null })
  expect(em.headCommits('acme', '1.1.0')).toEqual([{ repository: 'acme/web', repositoryId: made[0].id, commit: c[3] }])

  // The user installs the GitHub integration: a newer row of the same name; the old one stays, active, without provider.
  const github = em.addRepository('acme', { name: 'acme/web', provider: 'github' })
  expect(Number(github.id)).toBeGreaterThan(Number(made[0].id))
  expect((await repos()).map(r => [r.id, (r.provider as { id: string }).id, r.integrationId])).toEqual([
    [made[0].id, 'unknown', null],
    [github.id, 'integrations:github', '1']
  ])

  // Run 3: refs reach the GitHub row. The previous release's head commit is on the old row, so there is no start:
  // the provider's last commits of the head (at most 20).
  await create('1.2.0', { dateReleased: day(3), refs: [{ repository: 'acme/web', commit: c[5] }] })
  await em.settle()
  expect(em.release('acme', '1.2.0')).toMatchObject({ commitCount: 6, lastCommit: { id: c[5], repository: { id: github.id } } })
  expect(em.headCommits('acme', '1.2.0')).toEqual([{ repository: 'acme/web', repositoryId: github.id, commit: c[5] }])

  // Run 4: the range starts at the previous release's head commit on the GitHub row.
  await create('1.3.0', { dateReleased: day(4), refs: [{ repository: 'acme/web', commit: c[6] }] })
  await em.settle()
  expect(em.release('acme', '1.3.0')).toMatchObject({ commitCount: 1, lastCommit: { id: c[6] } })

  // Commits sent now land on the newest active row of the name: the GitHub one.
  const again = await call(em.url, 'PUT', releasePath('1.3.0'), { commits: await fromGit(c[6]) })
  expect(again.body).toMatchObject({ lastCommit: { repository: { id: github.id, provider: { id: 'integrations:github' } } } })
})
