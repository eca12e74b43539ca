import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { createSyntheticRepo, type SyntheticRepo } from '../../scripts/lib/synthetic-repo.js'
import { DEFAULT_TOKEN, type Emulator, startEmulator } from '../../emulator/index.js'
import { seedWithReleases } from '../helpers/e2e-fixture.js'
import { tagPushPayload } from '../helpers/events.js'
import { annotations, runAction } from '../helpers/run-action.js'

const COMMITS = 20_001 // 20,000 commits after the first one
const PEAK_RSS_LIMIT_MB = 100

let dir: string
let repo: SyntheticRepo
let emulator: Emulator

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sra-large-'))
  repo = await createSyntheticRepo({ dir, commits: COMMITS, tags: 1, tagName: () => 'v2.0.0' })
  emulator = await startEmulator({ seed: seedWithReleases('v2.0.0') })
}, 120_000)
afterAll(async () => {
  await emulator.stop()
  await rm(dir, { recursive: true, force: true })
})

/** Runs the action with a preload that records the child's peak RSS (process.resourceUsage) at exit. */
async function runMeasured(inputs: Record<string, string>): Promise<{ run: Awaited<ReturnType<typeof runAction>>; peakRssMb: number }> {
  const preload = path.join(dir, 'peak-rss.cjs')
  const report = path.join(dir, 'peak-rss.txt')
  await writeFile(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, String(process.resourceUsage().maxRSS)))\n`
  )
  const head = repo.mainCommits.at(-1) ?? ''
  const run = await runAction({
    inputs: { auth_token: DEFAULT_TOKEN, sentry_url: emulator.url, org: 'acme', ...inputs },
    eventName: 'push',
    payload: tagPushPayload('v2.0.0', head),
    ref: 'refs/tags/v2.0.0',
    sha: head,
    workspace: repo.workDir,
    env: { NODE_OPTIONS: `--require ${preload}` }
  })
  return { run, peakRssMb: Number(await readFile(report, 'utf8')) / 1024 }
}

test('20,000 commits in range: the newest max_commits are sent, with a warning, in bounded memory', async () => {
  const { run, peakRssMb } = await runMeasured({ set_commits: 'local', previous_commit: repo.mainCommits[0] })
  expect(run.code).toBe(0)
  expect(annotations(run.stdout)).toEqual([
    ['warning', 'The range has 20000 commits; Sentry gets the newest 1000 (raise max_commits to send more).']
  ])
  const [put] = emulator.requests
  const commits = (put.body as { commits: Array<{ id: string; patch_set: unknown[] }> }).commits
  expect(commits.map(commit => commit.id)).toEqual(repo.mainCommits.slice(-1000).reverse())
  expect(commits.every(commit => commit.patch_set.length >= 1)).toBe(true)
  expect(run.outputs).toMatchObject({
    commitsSent: '1000',
    commitCount: '1000',
    commitRange: `${repo.mainCommits[0]}..${repo.mainCommits.at(-1)}`
  })
  expect(peakRssMb).toBeLessThan(PEAK_RSS_LIMIT_MB)
  process.stdout.write(`peak RSS of the action with 20,000 commits in range: ${peakRssMb.toFixed(1)} MB\n`)
}, 120_000)
