// `npm run bench`: this action against the sentry-cli chain of getsentry/action-release, on the same
// machine, repositories and emulated Sentry (127.0.0.1). Prints markdown for the README; progress on stderr.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { DEFAULT_TOKEN, defaultSeed, startEmulator, type Emulator, type Seed } from '../emulator/index.js'
import { ACTION_BUNDLE, runAction, runSentryCli, runSentryCliNode, sentryCliBinary, type Target } from './lib/contenders.js'
import { createGitShim, type GitShim } from './lib/git-timing.js'
import { bytesOf, describeMachine } from './lib/machine.js'
import { run, type Measurement } from './lib/measure.js'
import { formatSpread, mib, ratio, spread, table, type Spread } from './lib/stats.js'
import { createSyntheticRepo, type SyntheticRepo } from './lib/synthetic-repo.js'

const ORG = 'acme'
const PROJECT = 'web'
const REPOSITORY = 'acme/web'
// The URL of the seeded Sentry repository: sentry-cli --auto matches the origin remote against it.
const REMOTE_URL = 'https://github.com/acme/web.git'
const ENVIRONMENT = 'production'
const BUDGET = { wallRatio: 0.5, requests: 3, bundleBytes: 1024 * 1024, rssKiB: 80 * 1024, rangeGrowth: 1.2 }

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    'large-commits': { type: 'string', default: '100000' },
    'large-tags': { type: 'string', default: '1000' },
    'local-range': { type: 'string', default: '10000' },
    keep: { type: 'boolean', default: false },
  },
})
const ROUNDS = positive(args.rounds, 'rounds')

function positive(value: string | undefined, name: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: a positive integer is required, got '${value}'`)
  return n
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`)
}

interface Scene {
  label: string
  repo: SyntheticRepo
  /** What `payload.after` carries for the last tag: the tag object when annotated, else the commit. */
  tagObject: string
  /** Default seed plus the release of the previous tag, as Sentry would hold it before this tag's run. */
  seed: Seed
}

async function makeScene(base: string, label: string, commits: number, tags: number, mergeEvery = 0): Promise<Scene> {
  const started = performance.now()
  const repo = await createSyntheticRepo({ dir: join(base, label), commits, tags, tagKind: 'mixed', mergeEvery, remoteUrl: REMOTE_URL })
  progress(`${label}: ${commits} commits, ${tags} tags generated in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const previous = repo.tags.at(-2)
  const seed = defaultSeed()
  if (previous) {
    seed.releases = [{ org: ORG, version: previous.name, projects: [PROJECT], headCommits: [{ repository: REPOSITORY, commit: previous.commit }] }]
  }
  const tagObject = (await promisify(execFile)('git', ['rev-parse', `refs/tags/${repo.tags.at(-1)?.name}`], { cwd: repo.workDir })).stdout.trim()
  return { label, repo, tagObject, seed }
}

class Bench {
  private serial = 0
  constructor(private readonly em: Emulator, private readonly base: string) {}

  /** A unique release version and scratch directory for one run of the scene's last tag. */
  target(scene: Scene, who: string): Target {
    const n = ++this.serial
    const tag = scene.repo.tags.at(-1)
    if (!tag) throw new Error(`${scene.label}: the repository has no tag`)
    return {
      emulatorUrl: this.em.url, token: DEFAULT_TOKEN, org: ORG, project: PROJECT, environment: ENVIRONMENT,
      version: `bench-${who}-${n}`,
      workspace: scene.repo.workDir,
      push: { tag: tag.name, tagObject: scene.tagObject, commit: tag.commit, repository: REPOSITORY },
      tempDir: join(this.base, 'runs', String(n)),
    }
  }

  /** Sentry back at the scene's seed, then one run; background commit fetches finish before the next run. */
  async once(scene: Scene, go: () => Promise<Measurement>): Promise<Measurement> {
    this.em.reset(scene.seed)
    const result = await go()
    await this.em.settle()
    return result
  }
}

function mustSucceed(what: string, m: Measurement): Measurement {
  if (m.code === 0) return m
  const output = `${m.stdout}\n${m.stderr}`.trim().split('\n').slice(-5).join('\n')
  throw new Error(`${what} failed (exit ${m.code}):\n${output}`)
}

const wall = (ms: Measurement[]): Spread | null => spread(ms.map((m) => m.wallMs))
const rss = (ms: Measurement[]): Spread | null => spread(ms.map((m) => m.peakRssKiB && m.peakRssKiB / 1024))
const requestCount = (ms: Measurement[]): Spread | null => spread(ms.map((m) => m.requests.length))
const gitMs = (calls: Array<{ ms: number }>): number => calls.reduce((sum, c) => sum + c.ms, 0)

interface HeadToHead { action: Measurement[]; cli: Measurement[]; cliNode: Measurement[] }
type Notes = Set<string>

async function headToHead(bench: Bench, em: Emulator, scene: Scene, out: string[], notes: Notes): Promise<HeadToHead> {
  const results: HeadToHead = { action: [], cli: [], cliNode: [] }
  const contenders: Array<[keyof HeadToHead, (t: Target) => Promise<Measurement>]> = [
    ['action', (t) => runAction(t)],
    ['cli', runSentryCli],
    ['cliNode', runSentryCliNode],
  ]
  for (let round = 0; round < ROUNDS; round++) {
    progress(`head-to-head round ${round + 1}/${ROUNDS}`)
    // Interleaved, and each contender takes each position in turn.
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length])
    for (const [who, go] of order) {
      const list = results[who]
      const target = bench.target(scene, who)
      list.push(mustSucceed(who, await bench.once(scene, () => go(target))))
      const release = em.release(ORG, target.version)
      if (em.deploys(ORG, target.version).length === 0) notes.add(`${who} created no deploy`)
      if (!release?.dateReleased) notes.add(`${who} did not finalize the release`)
    }
  }
  const { action, cli, cliNode } = results
  out.push(
    `## Tag push with previous commit, deploy and finalize (${scene.label}: ${scene.repo.mainCommits.length} commits, ${scene.repo.tags.length} tags; ${ROUNDS} interleaved rounds)`,
    '',
    table(
      ['', 'wall time', 'peak RSS', 'HTTP requests'],
      [
          row('(a) this action: `node dist/index.js`', action),
        row('(b) sentry-cli binary, 4 processes', cli),
        row('(b′) @sentry/cli JS API in node, as action-release runs it (no Docker)', cliNode),
        ['ratio (a) / (b)', ratio(wall(action), wall(cli)), ratio(rss(action), rss(cli)), ratio(requestCount(action), requestCount(cli))],
        ['ratio (a) / (b′)', ratio(wall(action), wall(cliNode)), ratio(rss(action), rss(cliNode)), ratio(requestCount(action), requestCount(cliNode))],
      ]
    ),
    '',
    `Requests of (a): ${requestList(action[0])}`,
    `Requests of (b): ${requestList(cli[0])}`,
    ...[...notes].map((n) => `Note: ${n}`),
    ''
  )
  return results
}

function row(label: string, ms: Measurement[]): string[] {
  return [label, formatSpread(wall(ms), 'ms'), formatSpread(rss(ms), 'MiB', 1), formatSpread(requestCount(ms), '')]
}

function requestList(m: Measurement): string {
  return m.requests.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')
}

/** Whole runs timed without the shim, then probe runs with it for the git part. */
async function scale(bench: Bench, scenes: Scene[], shim: GitShim, out: string[]): Promise<number | null> {
  const runs = new Map(scenes.map((s) => [s, { wall: [] as Measurement[], git: [] as number[], calls: 0 }]))
  for (let round = 0; round < ROUNDS; round++) {
    progress(`scale round ${round + 1}/${ROUNDS}`)
    const order = round % 2 ? [...scenes].reverse() : scenes
    for (const scene of order) {
      const entry = runs.get(scene)!
      entry.wall.push(mustSucceed(scene.label, await bench.once(scene, () => runAction(bench.target(scene, 'scale')))))
      const probe = bench.target(scene, 'probe')
      mustSucceed(scene.label, await bench.once(scene, () => runAction(probe, {}, shim.env(process.env.PATH ?? ''))))
      const calls = await shim.take()
      entry.git.push(gitMs(calls))
      entry.calls = calls.length
    }
  }
  const rows = scenes.map((scene) => {
    const entry = runs.get(scene)!
    return [
      `${scene.repo.mainCommits.length.toLocaleString('en')} commits, ${scene.repo.tags.length} tags`,
      formatSpread(wall(entry.wall), 'ms'),
      `${formatSpread(spread(entry.git), 'ms', 1)} in ${entry.calls} calls`,
    ]
  })
  const gitMedians = scenes.map((s) => spread(runs.get(s)!.git))
  const growth = gitMedians[0] && gitMedians[1] ? gitMedians[1].median / gitMedians[0].median : null
  out.push(
    `## Scale: the same run on a small and a large repository (${ROUNDS} interleaved rounds)`,
    '',
    table(['repository', 'whole run', 'git part (range finding)'], rows),
    '',
    `Range finding on the large repository costs ${growth?.toFixed(2) ?? 'n/a'}× the small one; whole run ${ratio(wall(runs.get(scenes[1])!.wall), wall(runs.get(scenes[0])!.wall))}.`,
    ''
  )
  return growth
}

/** `set_commits: local` sends the commits itself: a short range against a long one. */
async function localMode(bench: Bench, em: Emulator, scenes: Scene[], out: string[]): Promise<void> {
  out.push(`## \`set_commits: local\` (${ROUNDS} interleaved rounds)`, '')
  const results = new Map(scenes.map((s) => [s, [] as Measurement[]]))
  const commitsSent = new Map<Scene, number>()
  for (let round = 0; round < ROUNDS; round++) {
    progress(`local mode round ${round + 1}/${ROUNDS}`)
    for (const scene of round % 2 ? [...scenes].reverse() : scenes) {
      const m = await bench.once(scene, () => runAction(bench.target(scene, 'local'), { set_commits: 'local' }))
      if (m.code !== 0) {
        const reason = `${m.stdout}${m.stderr}`.split('\n').find((l) => l.includes('::error')) ?? `exit ${m.code}`
        out.push(`Skipped: the action does not run \`set_commits: local\` yet (${reason.trim()}).`, '')
        return
      }
      results.get(scene)!.push(m)
      commitsSent.set(scene, em.requests.reduce((n, r) => n + commitsIn(r.body), 0))
    }
  }
  const rows = scenes.map((scene) => {
    const ms = results.get(scene)!
    const tags = scene.repo.tags
    const range = tags.at(-1)!.index - tags.at(-2)!.index
    return [`${range.toLocaleString('en')} commits`, formatSpread(wall(ms), 'ms'), formatSpread(rss(ms), 'MiB', 1), formatSpread(requestCount(ms), ''), String(commitsSent.get(scene))]
  })
  out.push(table(['range', 'wall time', 'peak RSS', 'HTTP requests', 'commits sent'], rows), '')
}

function commitsIn(body: unknown): number {
  const commits = (body as { commits?: unknown } | null)?.commits
  return Array.isArray(commits) ? commits.length : 0
}

/** Where start-up time goes: bare node, loading the bundle, git, HTTP. */
async function startup(bench: Bench, scene: Scene, shim: GitShim, full: Measurement[], out: string[]): Promise<void> {
  const steps: Array<[string, () => Promise<Measurement>]> = [
    ['`node -e 0` (node itself)', async () => ({ ...(await run(process.execPath, ['-e', '0'], { env: { PATH: process.env.PATH } })), requests: [] })],
    ['`node dist/index.js`, no inputs (load the bundle, fail at auth_token)', async () => ({ ...(await run(process.execPath, [ACTION_BUNDLE], { env: { PATH: process.env.PATH } })), requests: [] })],
    ['one `git rev-parse HEAD`', async () => ({ ...(await run('git', ['rev-parse', 'HEAD'], { cwd: scene.repo.workDir, env: { PATH: process.env.PATH } })), requests: [] })],
    ['dry run (settings, event, git; no HTTP)', () => runAction(bench.target(scene, 'dry'), { dry_run: 'true' })],
  ]
  const results = steps.map(() => [] as Measurement[])
  for (let round = 0; round < ROUNDS; round++) {
    progress(`start-up round ${round + 1}/${ROUNDS}`)
    for (const [i, [, go]] of steps.entries()) results[i].push(await bench.once(scene, go))
  }
  await bench.once(scene, () => runAction(bench.target(scene, 'probe'), {}, shim.env(process.env.PATH ?? '')))
  const calls = await shim.take()
  out.push(
    `## Where the action's time goes (${ROUNDS} rounds, medians)`,
    '',
    table(
      ['step', 'wall time', 'peak RSS'],
      [...steps.map(([label], i) => [label, formatSpread(wall(results[i]), 'ms'), formatSpread(rss(results[i]), 'MiB', 1)]),
        ['full run (head-to-head above)', formatSpread(wall(full), 'ms'), formatSpread(rss(full), 'MiB', 1)]]
    ),
    '',
    `Git calls of one full run (timed by a PATH shim): ${calls.map((c) => `\`git ${c.args}\` ${c.ms.toFixed(1)} ms`).join(', ')}.`,
    ''
  )
}

async function main(): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'sra-bench-'))
  const em = await startEmulator({ fetchDelayMs: 0 })
  const out: string[] = []
  try {
    const cli = sentryCliBinary()
    out.push('# Benchmark', '', `Machine: ${await describeMachine(cli)}.`, `Command: \`npm run bench -- --rounds ${ROUNDS}\`.`, '')
    const shim = await createGitShim(base)
    const everyday = await makeScene(base, 'everyday', 1000, 10, 10)
    const bench = new Bench(em, base)
    const notes: Notes = new Set()
    const { action, cli: chain, cliNode } = await headToHead(bench, em, everyday, out, notes)
    const noDeploy = notes.has('action created no deploy') ? ' (no deploy: the action ignored `environment`)' : ''
    const small = await makeScene(base, 'small', 30, 3)
    const large = await makeScene(base, 'large', positive(args['large-commits'], 'large-commits'), positive(args['large-tags'], 'large-tags'), 50)
    const growth = await scale(bench, [small, large], shim, out)
    const range = positive(args['local-range'], 'local-range')
    const long = await makeScene(base, 'long-range', 2 * range, 2)
    await localMode(bench, em, [small, long], out)
    await startup(bench, everyday, shim, action, out)

    const distBytes = await bytesOf('dist')
    const bundleBytes = await bytesOf(ACTION_BUNDLE)
    const cliBytes = await bytesOf(cli)
    out.push(
      '## Size', '',
      table(['', 'bytes'], [
        ['`dist/` (all files)', `${distBytes.toLocaleString('en')} (${mib(distBytes)})`],
        ['`dist/index.js`', `${bundleBytes.toLocaleString('en')} (${mib(bundleBytes)})`],
        ['sentry-cli binary', `${cliBytes.toLocaleString('en')} (${mib(cliBytes)})`],
        ['ratio dist/ / sentry-cli', `${(distBytes / cliBytes).toFixed(3)}×`],
      ]), ''
    )
    const wallRatio = (wall(action)?.median ?? NaN) / (wall(chain)?.median ?? NaN)
    const wallRatioNode = (wall(action)?.median ?? NaN) / (wall(cliNode)?.median ?? NaN)
    const worstRequests = Math.max(...action.map((m) => m.requests.length))
    const worstRss = Math.max(...action.map((m) => m.peakRssKiB ?? NaN))
    const verdict = (ok: boolean): string => (ok ? 'met' : '**MISSED**')
    out.push(
      '## Budget', '',
      table(['rule', 'budget', 'measured', ''], [
        ['wall time, (a) / (b) binary chain (medians)', `≤ ${BUDGET.wallRatio}`, wallRatio.toFixed(2), verdict(wallRatio <= BUDGET.wallRatio)],
        ['wall time, (a) / (b′) @sentry/cli in node (medians)', `≤ ${BUDGET.wallRatio}`, wallRatioNode.toFixed(2), verdict(wallRatioNode <= BUDGET.wallRatio)],
        ['HTTP requests, tag push with deploy (worst run)', `≤ ${BUDGET.requests}`, `${worstRequests}${noDeploy}`, verdict(!noDeploy && worstRequests <= BUDGET.requests)],
        ['`dist/index.js`', '≤ 1 MiB', mib(bundleBytes), verdict(bundleBytes <= BUDGET.bundleBytes)],
        ['peak RSS (worst run)', '≤ 80 MiB', Number.isNaN(worstRss) ? 'unknown' : `${(worstRss / 1024).toFixed(1)} MiB`, verdict(worstRss <= BUDGET.rssKiB)],
        ['range finding, large / small repository (medians)', `≤ ${BUDGET.rangeGrowth}×`, growth === null ? 'n/a' : `${growth.toFixed(2)}×`, verdict(growth !== null && growth <= BUDGET.rangeGrowth)],
      ]), ''
    )
    console.log(out.join('\n'))
  } finally {
    await em.stop()
    if (!args.keep) await rm(base, { recursive: true, force: true })
    else progress(`kept ${base}`)
  }
}

await main()
