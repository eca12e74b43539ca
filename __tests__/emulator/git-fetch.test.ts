// The GitHub provider's compare_commits from a local git dir: ranges, the 250 cap, author dates (git-fetch.ts).
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { spawn } from 'node:child_process'
import { defaultSeed, startEmulator, type Emulator } from '../../emulator/index.js'
import { call, releasePath } from './client.js'
import { makeRepo, repoWithCommits } from '../../harness/git-repo.js'

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
      {
        org: 'acme',
        version: '1',
        projects: ['web'],
        dateCreated: '2024-01-01T00:00:00Z',
        headCommits: [{ repository: 'acme/web', commit: repo.commits[0] }]
      },
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

/** Puts `ref` on a fresh release of an emulator fetching from `dir`: the release and its head commits once fetched. */
async function fetchedFrom(dir: string, ref: object) {
  const emulator = await startEmulator({ git: dir, fetchDelayMs: 5 })
  try {
    emulator.reset({ ...defaultSeed(), releases: [{ org: 'acme', version: 'r', projects: ['web'] }] })
    await call(emulator.url, 'PUT', releasePath('r'), { refs: [{ repository: 'acme/web', ...ref }] })
    await emulator.settle()
    return { release: emulator.release('acme', 'r'), heads: emulator.headCommits('acme', 'r').map(h => h.commit) }
  } finally {
    await emulator.stop()
  }
}

test('commits are ordered by AUTHOR date: after a cherry-pick the head commit is not lastCommit', async () => {
  const picked = await makeRepo()
  try {
    const base = await picked.commit('base')
    await picked.git('checkout', '--quiet', '-b', 'feature')
    // Authored long before the main line's commits; cherry-picking keeps the author date.
    await picked.git('commit', '--quiet', '--allow-empty', '-m', 'old fix', '--date', '2023-06-01T00:00:00Z')
    await picked.git('checkout', '--quiet', 'main')
    const newer = await picked.commit('newer work')
    await picked.git('cherry-pick', '--allow-empty', 'feature')
    const head = await picked.git('rev-parse', 'HEAD')
    const { release, heads } = await fetchedFrom(picked.dir, { commit: head, previousCommit: base })
    expect(release).toMatchObject({
      commitCount: 2,
      lastCommit: { id: newer, message: 'newer work', dateCreated: '2024-01-01T00:02:00.000Z' }
    })
    // The head commit set_refs recorded stays the ref, whatever the order.
    expect(heads).toEqual([head])
  } finally {
    await picked.remove()
  }
})

test('a compare lists at most 250 commits, the oldest ones: a longer range keeps 250 and loses its head', async () => {
  const long = await makeRepo()
  try {
    // 260 commits in one git process, one minute apart.
    const stream = Array.from({ length: 260 }, (_, i) => {
      const when = 1_700_000_000 + i * 60
      return (
        `commit refs/heads/main\nauthor A <a@example.com> ${when} +0000\ncommitter A <a@example.com> ${when} +0000\n` +
        `data ${String(`c${i}`).length}\nc${i}\n`
      )
    }).join('')
    await new Promise<void>((resolve, reject) => {
      const child = spawn('git', ['-C', long.dir, 'fast-import', '--quiet'], { stdio: ['pipe', 'ignore', 'inherit'] })
      child.on('error', reject)
      child.on('close', code => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`))))
      child.stdin.end(stream)
    })
    const shas = (await long.git('rev-list', '--reverse', 'main')).split('\n')
    const { release } = await fetchedFrom(long.dir, { commit: `${shas[0]}..${shas[259]}` })
    // 259 commits in the range; the first 250 (c1 … c250) come back, so the newest is c250, not the head c259.
    expect(release).toMatchObject({ commitCount: 250, lastCommit: { id: shas[250], message: 'c250' } })
  } finally {
    await long.remove()
  }
})

test('hang keeps the request open until stop()', async () => {
  const hung = await startEmulator()
  try {
    hung.addFault({ hang: true })
    const pending = call(hung.url, 'GET', releasePath('1')).catch(e => e as Error)
    // The request is logged once the server has read it (a loaded machine may take a while), and never answered.
    for (let waited = 0; hung.requests.length === 0 && waited < 5000; waited += 20) await new Promise(resolve => setTimeout(resolve, 20))
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(hung.requests.map(r => r.status)).toEqual([0])
    await hung.stop()
    expect(String(await pending)).toMatch(/fetch failed/)
  } finally {
    await hung.stop()
  }
})
