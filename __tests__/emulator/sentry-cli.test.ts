// The real sentry-cli against the emulator: a release's whole life must succeed and land in the emulator's state.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { DEFAULT_TOKEN, startEmulator, type Emulator } from '../../emulator/index.js'
import { repoWithCommits } from '../../harness/git-repo.js'
import { sentryCliEnv } from '../../harness/sentry-cli.js'

const run = promisify(execFile)
const SENTRY_CLI = resolve('node_modules/.bin/sentry-cli')

let em: Emulator
let repo: Awaited<ReturnType<typeof repoWithCommits>>
beforeAll(async () => {
  repo = await repoWithCommits(3, 'https://github.com/acme/web.git')
  em = await startEmulator({ git: repo.dir, fetchDelayMs: 10 })
})
afterAll(async () => {
  await em.stop()
  await repo.remove()
})

async function sentryCli(...args: string[]): Promise<string> {
  const env = sentryCliEnv(em.url, repo.dir, DEFAULT_TOKEN)
  return (await run(SENTRY_CLI, args, { cwd: repo.dir, env })).stdout
}

test('sentry-cli: releases new, set-commits --auto, deploys new, finalize', async () => {
  const version = '1.0.0+build.7'
  await sentryCli('releases', 'new', version)
  await sentryCli('releases', 'set-commits', '--auto', version)
  await sentryCli('deploys', 'new', '-e', 'production', '-r', version)
  await sentryCli('releases', 'finalize', version)
  await em.settle()

  const head = repo.commits[2]
  const put = em.requests.find(r => r.method === 'PUT' && 'refs' in (r.body as object))
  expect(put?.body).toEqual({ refs: [{ repository: 'acme/web', commit: head, previousCommit: null }] })
  expect(put?.path).toBe('/api/0/organizations/acme/releases/1.0.0%2Bbuild.7/')
  expect(em.requests.every(r => r.status < 300)).toBe(true)
  const release = em.release('acme', version)
  expect(release).toMatchObject({
    version,
    commitCount: 3,
    lastCommit: { id: head, repository: { name: 'acme/web' } },
    deployCount: 1,
    lastDeploy: { environment: 'production' },
    projects: [{ slug: 'web' }]
  })
  expect(typeof release?.dateReleased).toBe('string')
  expect(em.deploys('acme', version)).toEqual([expect.objectContaining({ environment: 'production' })])
}, 60_000)
