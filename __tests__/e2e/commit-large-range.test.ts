import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { createSyntheticRepo, type SyntheticRepo } from '../../scripts/lib/synthetic-repo.js'
import { DEFAULT_TOKEN, type Emulator, startEmulator } from '../../emulator/index.js'
import { seedWithReleases } from '../helpers/e2e-fixture.js'
import { tagPushPayload } from '../../harness/events.js'
import { annotations, runAction } from '../../harness/run-action.js'

const COMMITS = 20_001 // 20,000 commits after the first one
// What the action's own data may take: V8's heap at exit (it does not shrink before exit). The run holds ~17 MiB; a
// reader that kept the whole range (every commit in memory) takes ~57 MiB. The process's peak RSS is printed, not
// asserted: ~45 MiB of it is Node 24 itself, and on a loaded 2-core machine it moves by 30 MiB from run to run.
const HEAP_LIMIT_MB = 40

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

interface Memory {
  /** V8's heap, physical, at exit (MiB). */
  heapMb: number
  /** The process's peak resident set (MiB). */
  peakRssMb: number
}

/** Runs the action with a preload that records the child's heap and peak RSS at exit. */
async function runMeasured(inputs: Record<string, string>): Promise<{ run: Awaited<ReturnType<typeof runAction>>; memory: Memory }> {
  const preload = path.join(dir, 'memory.cjs')
  const report = path.join(dir, 'memory.json')
  const record = `{ heapMb: require('v8').getHeapStatistics().total_physical_size / 1048576, peakRssMb: process.resourceUsage().maxRSS / 1024 }`
  await writeFile(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(${record})))\n`)
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
  return { run, memory: JSON.parse(await readFile(report, 'utf8')) as Memory }
}

test('20,000 commits in range: the newest max_commits are sent, with a warning, in bounded memory', async () => {
  const { run, memory } = await runMeasured({ set_commits: 'local', previous_commit: repo.mainCommits[0] })
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
  expect(memory.heapMb).toBeLessThan(HEAP_LIMIT_MB)
  process.stdout.write(
    `the action with 20,000 commits in range: heap ${memory.heapMb.toFixed(1)} MiB, peak RSS ${memory.peakRssMb.toFixed(1)} MiB\n`
  )
}, 120_000)
