// `npm run bench`: this action against the sentry-cli chain of getsentry/action-release, on the same
// machine, repositories and emulated Sentry (127.0.0.1). Prints markdown for the README; progress on stderr.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { DEFAULT_TOKEN, defaultSeed, startEmulator, type Emulator, type Seed } from '../emulator/index.js'
import { ACTION_BUNDLE } from '../harness/action-node.js'
import {
  npmRuntime,
  runAction,
  runSentryCli,
  runSentryCliInstalled,
  runSentryCliNode,
  sentryCliBinary,
  sentryCliInstallProblem,
  sentryCliVersion,
  type Target
} from './lib/contenders.js'
import { createGitShim, replayGitCalls, type GitCall, type GitShim } from './lib/git-timing.js'
import { bytesOf, describeMachine } from './lib/machine.js'
import { run, type Measurement } from './lib/measure.js'
import { calibrate, startSimulatedNetwork, type SimulatedNetwork } from './lib/network.js'
import { formatSpread, mib, ratio, spread, table, type Spread } from './lib/stats.js'
import { createSyntheticRepo, type SyntheticRepo } from './lib/synthetic-repo.js'

const ORG = 'acme'
const PROJECT = 'web'
const REPOSITORY = 'acme/web'
// The URL of the seeded Sentry repository: sentry-cli --auto matches the origin remote against it.
const REMOTE_URL = 'https://github.com/acme/web.git'
const ENVIRONMENT = 'production'
const TAG_PUSH = 'Tag push with previous commit, deploy and finalize'
// Issue #14: at most 4 requests for a tag push with deploy; the toolkit's bundle size is accepted (no budget).
const BUDGET = { wallRatio: 0.5, requests: 4, rssKiB: 80 * 1024, rangeGrowth: 1.2 }

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    'large-commits': { type: 'string', default: '100000' },
    'large-tags': { type: 'string', default: '1000' },
    'local-range': { type: 'string', default: '10000' },
    'rtt-ms': { type: 'string', default: '50' },
    'connect-ms': { type: 'string', default: '100' },
    candidate: { type: 'string' },
    'head-to-head-only': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false }
  }
})
const ROUNDS = positive(args.rounds, 'rounds')
const RTT_MS = wholeOrZero(args['rtt-ms'], 'rtt-ms')
const CONNECT_MS = wholeOrZero(args['connect-ms'], 'connect-ms')
// The git calls take ~10 ms in all: replayed more often than whole runs (3 per round) for a stable median.
const REPLAYS_PER_ROUND = 3

function positive(value: string | undefined, name: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: a positive integer is required, got '${value}'`)
  return n
}

function wholeOrZero(value: string | undefined, name: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`--${name}: a whole number ≥ 0 is required (--rtt-ms 0 --connect-ms 0: no simulated network), got '${value}'`)
  }
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

interface SceneShape {
  commits: number
  tags: number
  mergeEvery?: number
  tagName?: (index: number) => string
}

/** A generated repository checked out as actions/checkout (fetch-depth: 0) does: tags are loose refs. */
async function makeScene(base: string, label: string, shape: SceneShape): Promise<Scene> {
  const started = performance.now()
  const repo = await createSyntheticRepo({ dir: join(base, label), ...shape, tagKind: 'mixed', remoteUrl: REMOTE_URL, checkout: 'fetch' })
  progress(`${label}: ${shape.commits} commits, ${shape.tags} tags generated in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const previous = repo.tags.at(-2)
  const seed = defaultSeed()
  if (previous) {
    const headCommits = [{ repository: REPOSITORY, commit: previous.commit }]
    seed.releases = [{ org: ORG, version: previous.name, projects: [PROJECT], headCommits }]
  }
  return { label, repo, tagObject: await git(['rev-parse', `refs/tags/${repo.tags.at(-1)?.name}`], repo.workDir), seed }
}

/** The same history made by `git clone` instead: tags in packed-refs with their peeled commits. */
async function clonedScene(scene: Scene, label: string): Promise<Scene> {
  const workDir = join(dirname(scene.repo.workDir), 'clone')
  await git(['clone', '--quiet', scene.repo.originDir, workDir], dirname(workDir))
  await git(['remote', 'set-url', 'origin', REMOTE_URL], workDir)
  return { ...scene, label, repo: { ...scene.repo, workDir } }
}

async function git(args: string[], cwd: string): Promise<string> {
  return (await promisify(execFile)('git', args, { cwd })).stdout.trim()
}

const describeScene = (scene: Scene): string =>
  `${scene.repo.mainCommits.length.toLocaleString('en')} commits, ${scene.repo.tags.length.toLocaleString('en')} tags`

class Bench {
  private serial = 0
  /** When set, contenders reach the emulator through it; else over loopback as is. */
  network: SimulatedNetwork | undefined
  constructor(
    private readonly em: Emulator,
    private readonly base: string
  ) {}

  /** A unique release version and scratch directory for one run of the scene's last tag. */
  target(scene: Scene, who: string): Target {
    const n = ++this.serial
    const tag = scene.repo.tags.at(-1)
    if (!tag) throw new Error(`${scene.label}: the repository has no tag`)
    return {
      emulatorUrl: this.em.url,
      sentryUrl: this.network?.url ?? this.em.url,
      token: DEFAULT_TOKEN,
      org: ORG,
      project: PROJECT,
      environment: ENVIRONMENT,
      version: `bench-${who}-${n}`,
      workspace: scene.repo.workDir,
      push: { tag: tag.name, tagObject: scene.tagObject, commit: tag.commit, repository: REPOSITORY },
      tempDir: join(this.base, 'runs', String(n))
    }
  }

  /** Sentry back at the scene's seed, then one run; background commit fetches finish before the next run. */
  async once(scene: Scene, go: () => Promise<Measurement>): Promise<Measurement> {
    this.em.reset(scene.seed)
    const network = this.network
    const before = network?.connections() ?? 0
    const result = await go()
    await this.em.settle()
    return network ? { ...result, connections: network.connections() - before, connectionRequests: network.requestsBy(before) } : result
  }
}

function mustSucceed(what: string, m: Measurement): Measurement {
  if (m.code === 0) return m
  const output = `${m.stdout}\n${m.stderr}`.trim().split('\n').slice(-5).join('\n')
  throw new Error(`${what} failed (exit ${m.code}):\n${output}`)
}

/** Peak RSS of every run of the action outside the head-to-heads, by section: for the memory budget. */
const otherActionRuns: Array<{ section: string; m: Measurement }> = []
const keep = (section: string, m: Measurement): Measurement => (otherActionRuns.push({ section, m }), m)

const wall = (ms: Measurement[]): Spread | null => spread(ms.map(m => m.wallMs))
const rss = (ms: Measurement[]): Spread | null => spread(ms.map(m => m.peakRssKiB && m.peakRssKiB / 1024))
const requestCount = (ms: Measurement[]): Spread | null => spread(ms.map(m => m.requests.length))
const connectionCount = (ms: Measurement[]): Spread | null => spread(ms.map(m => m.connections ?? null))

interface Contender {
  /** Short name in tables and versions: (a), (b) ... */
  id: string
  label: string
  /** What it runs on: the Node version, or native. */
  runtime: string
  go: (t: Target) => Promise<Measurement>
}
type Results = Map<Contender, Measurement[]>
type Notes = Set<string>

/** Interleaved rounds, each contender taking each position in turn; the first contender is this action. */
async function headToHead(
  bench: Bench,
  em: Emulator,
  scene: Scene,
  contenders: Contender[],
  title: string,
  out: string[],
  notes: Notes
): Promise<Results> {
  const results: Results = new Map(contenders.map(c => [c, []]))
  for (let round = 0; round < ROUNDS; round++) {
    progress(`${title}: round ${round + 1}/${ROUNDS}`)
    for (const contender of contenders.map((_, i) => contenders[(i + round) % contenders.length])) {
      const target = bench.target(scene, contender.id.replace(/\W/g, ''))
      results.get(contender)!.push(mustSucceed(contender.label, await bench.once(scene, () => contender.go(target))))
      if (em.deploys(ORG, target.version).length === 0) notes.add(`${contender.id} created no deploy`)
      if (!em.release(ORG, target.version)?.dateReleased) notes.add(`${contender.id} did not finalize the release`)
    }
  }
  const [ours, ...others] = contenders
  const mine = results.get(ours)!
  const networked = mine.some(m => m.connections !== undefined)
  out.push(
    `## ${title} (${scene.label}: ${describeScene(scene)}; ${ROUNDS} interleaved rounds; median (min–max))`,
    '',
    table(
      ['', 'runs on', 'wall time', 'peak RSS', 'HTTP requests', ...(networked ? ['new connections'] : [])],
      [
        ...contenders.map(c => row(c, results.get(c)!, networked)),
        ...others.map(c => {
          const theirs = results.get(c)!
          const cells = [ratio(wall(mine), wall(theirs)), ratio(rss(mine), rss(theirs)), ratio(requestCount(mine), requestCount(theirs))]
          return [`ratio ${ours.id} / ${c.id}`, '', ...cells, ...(networked ? [ratio(connectionCount(mine), connectionCount(theirs))] : [])]
        })
      ]
    ),
    '',
    ...requestLists(contenders, results),
    ...(networked ? connectionLists(contenders, results) : []),
    ''
  )
  return results
}

function row(c: Contender, ms: Measurement[], networked: boolean): string[] {
  const cells = [formatSpread(wall(ms), 'ms'), formatSpread(rss(ms), 'MiB', 1), formatSpread(requestCount(ms), '')]
  return [`${c.id} ${c.label}`, c.runtime, ...cells, ...(networked ? [formatSpread(connectionCount(ms), '')] : [])]
}

/** Each contender's requests in its first run; a list the same as an earlier contender's is said so. */
function requestLists(contenders: Contender[], results: Results): string[] {
  const seen = new Map<string, string>()
  return contenders.map(c => {
    const list = requestList(results.get(c)![0])
    const same = seen.get(list)
    if (!same) seen.set(list, c.id)
    return `- Requests of ${c.id}: ${same ? `as ${same}` : list}`
  })
}

/** Which requests each connection of a contender's first run carried (as the simulated network saw them). */
function connectionLists(contenders: Contender[], results: Results): string[] {
  return contenders.map(c => {
    const connections = results.get(c)![0].connectionRequests ?? []
    const described = connections.map((requests, i) => `${i + 1}: ${requests.join(', ') || 'no request'}`)
    return `- Connections of ${c.id}: ${described.join('; ')}`
  })
}

function requestList(m: Measurement): string {
  return m.requests.map(r => `${r.method} ${r.path} ${r.status}`).join(', ')
}

/**
 * The requests of a tag push with deploy in each state Sentry may be in (loopback, one run each: counts do not vary):
 * a new release, a re-run of the same event, a release an SDK made first (no ref, url or date). Returns the largest
 * count of this action.
 */
async function requestCases(bench: Bench, em: Emulator, scene: Scene, contenders: Contender[], out: string[]): Promise<number> {
  const cases: Array<[string, (c: Contender) => Promise<Measurement>]> = [
    ['new release', c => bench.once(scene, () => c.go(bench.target(scene, 'case')))],
    [
      're-run of the same event',
      async c => {
        const target = bench.target(scene, 'case')
        await bench.once(scene, () => c.go(target))
        const again = await c.go(target)
        await em.settle()
        return again
      }
    ],
    [
      'release an SDK made first',
      async c => {
        const target = bench.target(scene, 'case')
        const seed = {
          ...scene.seed,
          releases: [...(scene.seed.releases ?? []), { org: ORG, version: target.version, projects: [PROJECT] }]
        }
        return bench.once({ ...scene, seed }, () => c.go(target))
      }
    ]
  ]
  const rows: string[][] = []
  let worst = 0
  for (const [label, go] of cases) {
    for (const c of contenders) {
      const m = mustSucceed(`${c.label}, ${label}`, await go(c))
      if (c === contenders[0]) worst = Math.max(worst, m.requests.length)
      rows.push([label, c.id, String(m.requests.length), requestList(m)])
    }
  }
  out.push(
    `## Requests of a tag push with deploy, by what Sentry holds (${scene.label}; loopback)`,
    '',
    table(['Sentry holds', '', 'requests', 'which'], rows),
    ''
  )
  return worst
}

/** Whole runs timed without the shim; the git calls of a probe run (with the shim) replayed without it. */
async function scale(bench: Bench, scenes: Scene[], shim: GitShim, out: string[]): Promise<number | null> {
  const wallRuns = new Map(scenes.map(s => [s, [] as Measurement[]]))
  for (let round = 0; round < ROUNDS; round++) {
    progress(`scale round ${round + 1}/${ROUNDS}`)
    for (const scene of round % 2 ? [...scenes].reverse() : scenes) {
      const m = mustSucceed(scene.label, await bench.once(scene, () => runAction(bench.target(scene, 'scale'))))
      wallRuns.get(scene)!.push(keep(`scale, ${scene.label}`, m))
    }
  }
  const calls = new Map<Scene, GitCall[]>()
  for (const scene of scenes) {
    mustSucceed(scene.label, await bench.once(scene, () => runAction(bench.target(scene, 'probe'), {}, shim.env(process.env.PATH ?? ''))))
    calls.set(scene, await shim.take())
  }
  const replays = new Map(scenes.map(s => [s, [] as number[]]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const scene of round % 2 ? [...scenes].reverse() : scenes) {
      replays.get(scene)!.push(...(await replayGitCalls(calls.get(scene)!, scene.repo.workDir, REPLAYS_PER_ROUND)))
    }
  }
  const [small] = scenes
  const gitOf = (scene: Scene): Spread | null => spread(replays.get(scene)!)
  const growth = (scene: Scene): number | null => {
    const [a, b] = [gitOf(scene), gitOf(small)]
    return a && b ? a.median / b.median : null
  }
  out.push(
    `## Scale: the same run on small and large repositories (${ROUNDS} interleaved rounds; ` +
      `git calls replayed ${ROUNDS * REPLAYS_PER_ROUND}×)`,
    '',
    table(
      ['repository', 'whole run', `whole run / ${small.label}`, 'git calls of range finding (replayed)', `git / ${small.label}`],
      scenes.map(scene => [
        `${scene.label}: ${describeScene(scene)}`,
        formatSpread(wall(wallRuns.get(scene)!), 'ms'),
        ratio(wall(wallRuns.get(scene)!), wall(wallRuns.get(small)!)),
        `${formatSpread(gitOf(scene), 'ms', 1)} in ${calls.get(scene)!.length} calls`,
        `${growth(scene)?.toFixed(2) ?? 'n/a'}×`
      ])
    ),
    '',
    'Checkouts as actions/checkout makes them (tags are loose refs), except "git clone" (packed-refs with peeled tags). ' +
      'Tags are spaced evenly, so the range to the previous tag is commits / tags long; in few-matching only the last ' +
      'two tags match the pattern `v*`, the others are `build-*`.',
    '',
    ...scenes.map(scene => `Git calls, ${scene.label} (probe run, times include the shim): ${callList(calls.get(scene)!)}.`),
    ''
  )
  return growth(scenes.at(-1)!)
}

function callList(calls: GitCall[]): string {
  return calls.map(c => `\`git ${c.args.join(' ')}\` ${c.ms.toFixed(1)} ms`).join(', ')
}

/** `set_commits: local` sends the commits itself: a short range against a long one. */
async function localMode(bench: Bench, em: Emulator, scenes: Scene[], out: string[]): Promise<void> {
  out.push(`## \`set_commits: local\` (${ROUNDS} interleaved rounds)`, '')
  const results = new Map(scenes.map(s => [s, [] as Measurement[]]))
  const commitsSent = new Map<Scene, number[]>()
  for (let round = 0; round < ROUNDS; round++) {
    progress(`local mode round ${round + 1}/${ROUNDS}`)
    for (const scene of round % 2 ? [...scenes].reverse() : scenes) {
      const m = await bench.once(scene, () => runAction(bench.target(scene, 'local'), { set_commits: 'local' }))
      if (m.code !== 0) {
        const reason = `${m.stdout}${m.stderr}`.split('\n').find(l => l.includes('::error')) ?? `exit ${m.code}`
        out.push(`Skipped: the action does not run \`set_commits: local\` yet (${reason.trim()}).`, '')
        return
      }
      results.get(scene)!.push(keep(`\`set_commits: local\`, ${scene.label}`, m))
      commitsSent.set(
        scene,
        em.requests.map(r => commitsIn(r.body)).filter(n => n > 0)
      )
    }
  }
  const rows = scenes.map(scene => {
    const ms = results.get(scene)!
    const tags = scene.repo.tags
    const range = tags.at(-1)!.index - tags.at(-2)!.index
    return [
      `${range.toLocaleString('en')} commits`,
      formatSpread(wall(ms), 'ms'),
      formatSpread(rss(ms), 'MiB', 1),
      formatSpread(requestCount(ms), ''),
      commitsSent.get(scene)!.join(' + ')
    ]
  })
  out.push(
    table(['range', 'wall time', 'peak RSS', 'HTTP requests', 'commits sent, per request'], rows),
    '',
    `Requests of the long range: ${requestList(results.get(scenes.at(-1)!)![0])}`,
    ''
  )
}

function commitsIn(body: unknown): number {
  const commits = (body as { commits?: unknown } | null)?.commits
  return Array.isArray(commits) ? commits.length : 0
}

/** Where start-up time goes: bare node, loading the bundle, git, HTTP. */
async function startup(bench: Bench, scene: Scene, shim: GitShim, full: Measurement[], out: string[]): Promise<void> {
  const clean = { env: { PATH: process.env.PATH } }
  const steps: Array<[string, () => Promise<Measurement>]> = [
    ['`node -e 0` (node itself)', async () => ({ ...(await run(process.execPath, ['-e', '0'], clean)), requests: [] })],
    [
      '`node dist/index.js`, no inputs (load the bundle, fail at auth_token)',
      async () => ({ ...(await run(process.execPath, [ACTION_BUNDLE], clean)), requests: [] })
    ],
    [
      'one `git rev-parse HEAD`',
      async () => ({ ...(await run('git', ['rev-parse', 'HEAD'], { ...clean, cwd: scene.repo.workDir })), requests: [] })
    ],
    [
      'dry run (settings, event, git; no HTTP)',
      async () => keep('dry run', await runAction(bench.target(scene, 'dry'), { dry_run: 'true' }))
    ]
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
      [
        ...steps.map(([label], i) => [label, formatSpread(wall(results[i]), 'ms'), formatSpread(rss(results[i]), 'MiB', 1)]),
        ['full run (head-to-head above)', formatSpread(wall(full), 'ms'), formatSpread(rss(full), 'MiB', 1)]
      ]
    ),
    '',
    `Git calls of one full run (probe run, times include the shim): ${callList(calls)}.`,
    ''
  )
}

const loadAverage = (): string =>
  loadavg()
    .map(l => l.toFixed(2))
    .join(' / ') + ` (1 / 5 / 15 min, ${cpus().length} cores)`

/** What the simulated network is, and a check that it costs what it says: one client, two requests on one connection. */
async function describeNetwork(network: SimulatedNetwork): Promise<string[]> {
  const samples = await calibrate(network, ROUNDS)
  const expectFirst = network.connectMs + network.rttMs
  const first = formatSpread(spread(samples.map(s => s.first)), 'ms', 1)
  const second = formatSpread(spread(samples.map(s => s.second)), 'ms', 1)
  return [
    `## The simulated network`,
    '',
    `A TCP proxy on 127.0.0.1 in front of the emulator (scripts/lib/network.ts): every chunk in either direction is held ` +
      `${network.rttMs / 2} ms (half the RTT), and a new connection carries nothing to the server until ${network.connectMs} ms ` +
      `after it was accepted (TCP and TLS handshakes). Check, ${ROUNDS} times one keep-alive client making two GETs of the ` +
      `emulator's request log: the first, on a new connection, ${first} (expected ${expectFirst} ms + the server's time); ` +
      `the second, on the same connection, ${second} (expected ${network.rttMs} ms + the server's time).`,
    ''
  ]
}

/** The memory budget over every other run of the action: the worst one, and where it was. */
function otherRssRow(): string[] {
  const known = otherActionRuns.filter(({ m }) => m.peakRssKiB !== null)
  const worst = known.reduce<(typeof known)[number] | undefined>((w, r) => (!w || r.m.peakRssKiB! > w.m.peakRssKiB! ? r : w), undefined)
  const rule = `peak RSS, every other run of the action here (${otherActionRuns.length} runs: scale, \`set_commits: local\`, dry run)`
  if (!worst) return [rule, '≤ 80 MiB', 'unknown', '']
  const over = known.filter(({ m }) => m.peakRssKiB! > BUDGET.rssKiB).length
  const measured =
    `${(worst.m.peakRssKiB! / 1024).toFixed(1)} MiB (${worst.section})` + (over ? `; ${over} of ${known.length} runs over` : '')
  return [rule, '≤ 80 MiB', measured, worst.m.peakRssKiB! <= BUDGET.rssKiB ? 'met' : '**not met**']
}

async function main(): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'sra-bench-'))
  const em = await startEmulator({ fetchDelayMs: 0 })
  const out: string[] = []
  try {
    const cli = sentryCliBinary()
    const cliVersion = await sentryCliVersion()
    const sizes = `--large-commits ${args['large-commits']} --large-tags ${args['large-tags']} --local-range ${args['local-range']}`
    const command =
      `npm run bench -- --rounds ${ROUNDS} --rtt-ms ${RTT_MS} --connect-ms ${CONNECT_MS} ${sizes}` +
      (args.candidate ? ` --candidate ${args.candidate}` : '')
    out.push('# Benchmark', '', `Machine: ${await describeMachine(cli)}.`, `Command: \`${command}\`.`)
    out.push(`Load average at the start: ${loadAverage()}.`, '')
    const shim = await createGitShim(base)
    const everyday = await makeScene(base, 'everyday', { commits: 1000, tags: 10, mergeEvery: 10 })
    const bench = new Bench(em, base)
    const notes: Notes = new Set()
    const node = `node ${process.version}`
    const a: Contender = { id: '(a)', label: 'this action: `node dist/index.js`', runtime: node, go: t => runAction(t) }
    const b: Contender = { id: '(b)', label: `sentry-cli ${cliVersion} binary, 4 processes`, runtime: 'native', go: runSentryCli }
    const bNode: Contender = {
      id: '(b′)',
      label: "@sentry/cli JS API in node, as action-release's main.js drives it",
      runtime: `${node} + 4 sentry-cli processes`,
      go: runSentryCliNode
    }
    const bInstall: Contender = {
      id: '(b″)',
      label: `(b′) after action-release's \`npm install --no-package-lock @sentry/cli@${cliVersion}\` (offline, from the npm cache)`,
      runtime: `${await npmRuntime()}, then as (b′)`,
      go: t => runSentryCliInstalled(t, cliVersion)
    }
    // A contender that cannot be installed here is said so, and the others are measured.
    const installProblem = await sentryCliInstallProblem(cliVersion, base)
    if (installProblem) {
      progress(`${bInstall.id} left out: ${installProblem}`)
      notes.add(`${bInstall.id} was not measured: ${installProblem}`)
    }
    // --candidate: another build of the action (e.g. a change under study) in the same interleaved rounds, for reference.
    const candidate: Contender[] = args.candidate
      ? [
          {
            id: '(a′)',
            label: `candidate build: \`node ${args.candidate}\``,
            runtime: node,
            go: t => runAction(t, {}, {}, resolve(args.candidate!))
          }
        ]
      : []
    const contenders = [a, ...candidate, b, bNode, ...(installProblem ? [] : [bInstall])]
    let networkResults: Results | undefined
    if (RTT_MS > 0 || CONNECT_MS > 0) {
      const network = await startSimulatedNetwork(em.url, { rttMs: RTT_MS, connectMs: CONNECT_MS })
      try {
        out.push(...(await describeNetwork(network)))
        bench.network = network
        const title = `${TAG_PUSH}, simulated network: ${RTT_MS} ms RTT, ${CONNECT_MS} ms set-up per new connection`
        networkResults = await headToHead(bench, em, everyday, contenders, title, out, notes)
      } finally {
        bench.network = undefined
        await network.close()
      }
    }
    const results = await headToHead(bench, em, everyday, contenders, `${TAG_PUSH}, loopback`, out, notes)
    out.push(...[...notes].map(n => `Note: ${n}`), '')
    if (args['head-to-head-only']) {
      out.push(`Load average at the end: ${loadAverage()}.`, '')
      return void console.log(out.join('\n'))
    }
    const worstCaseRequests = await requestCases(bench, em, everyday, [a, b], out)
    const small = await makeScene(base, 'small', { commits: 30, tags: 3 })
    const largeCommits = positive(args['large-commits'], 'large-commits')
    const history = await makeScene(base, 'long-history', { commits: largeCommits, tags: 3, mergeEvery: 50 })
    const largeTags = positive(args['large-tags'], 'large-tags')
    // The same number of tags, but only the last two in the v* family: what the count of matching tags costs.
    const otherFamily = await makeScene(base, 'few-matching', {
      commits: largeCommits,
      tags: largeTags,
      mergeEvery: 50,
      tagName: i => (i < largeTags - 2 ? `build-${i}` : `v2.0.${i}`)
    })
    const large = await makeScene(base, 'large', { commits: largeCommits, tags: largeTags, mergeEvery: 50 })
    const largeCloned = await clonedScene(large, 'large, git clone')
    const growth = await scale(bench, [small, history, otherFamily, largeCloned, large], shim, out)
    const range = positive(args['local-range'], 'local-range')
    const long = await makeScene(base, 'long-range', { commits: 2 * range, tags: 2 })
    await localMode(bench, em, [small, long], out)
    const action = results.get(a)!
    await startup(bench, everyday, shim, action, out)

    const distBytes = await bytesOf('dist')
    const bundleBytes = await bytesOf(ACTION_BUNDLE)
    const cliBytes = await bytesOf(cli)
    out.push(
      '## Size',
      '',
      table(
        ['', 'bytes'],
        [
          ['`dist/` (all files)', `${distBytes.toLocaleString('en')} (${mib(distBytes)})`],
          ['`dist/index.js`', `${bundleBytes.toLocaleString('en')} (${mib(bundleBytes)})`],
          ['sentry-cli binary', `${cliBytes.toLocaleString('en')} (${mib(cliBytes)})`],
          ['ratio dist/ / sentry-cli', `${(distBytes / cliBytes).toFixed(3)}×`]
        ]
      ),
      ''
    )
    const wallRatio = (them: Contender, of: Results): number => (wall(of.get(a)!)?.median ?? NaN) / (wall(of.get(them)!)?.median ?? NaN)
    const tagPushes = [...action, ...(networkResults?.get(a) ?? [])]
    const worstRequests = Math.max(worstCaseRequests, ...tagPushes.map(m => m.requests.length))
    const worstRss = Math.max(...tagPushes.map(m => m.peakRssKiB ?? NaN))
    const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**')
    const reference = (them: Contender, of: Results, where: string): string[] => [
      `wall time, (a) / ${them.id}, ${where} (medians)`,
      'reference',
      `${wallRatio(them, of).toFixed(2)}×`,
      ''
    ]
    const network = `${RTT_MS} ms RTT + ${CONNECT_MS} ms set-up`
    const noDeploy = notes.has('(a) created no deploy')
    const others = [...candidate, bNode, bInstall].filter(them => results.has(them))
    out.push(
      '## Budget',
      '',
      table(
        ['rule', 'budget', 'measured', ''],
        [
          ...(networkResults
            ? [
                [
                  `wall time, (a) / (b) the native sentry-cli chain, ${network} (medians)`,
                  `≤ ${BUDGET.wallRatio}×`,
                  `${wallRatio(b, networkResults).toFixed(2)}×`,
                  verdict(wallRatio(b, networkResults) <= BUDGET.wallRatio)
                ]
              ]
            : [['wall time, (a) / (b) on a simulated network', `≤ ${BUDGET.wallRatio}×`, 'not measured (--rtt-ms 0 --connect-ms 0)', '']]),
          ...(networkResults ? others.map(them => reference(them, networkResults, network)) : []),
          ...[b, ...others].map(them => reference(them, results, 'loopback')),
          [
            'HTTP requests, tag push with deploy (worst run: head-to-heads and the three cases)',
            `≤ ${BUDGET.requests}`,
            `${worstRequests}${noDeploy ? ' (no deploy)' : ''}`,
            verdict(!noDeploy && worstRequests <= BUDGET.requests)
          ],
          [
            'peak RSS, tag push with deploy (worst run, loopback and network)',
            '≤ 80 MiB',
            Number.isNaN(worstRss) ? 'unknown' : `${(worstRss / 1024).toFixed(1)} MiB`,
            verdict(worstRss <= BUDGET.rssKiB)
          ],
          otherRssRow(),
          ['`dist/index.js` (the toolkit: @actions/core, @actions/github, @actions/http-client with undici)', 'none', mib(bundleBytes), ''],
          [
            `range finding: git calls replayed, ${large.label} (${describeScene(large)}, loose tag refs) / ${small.label} ` +
              `(${describeScene(small)}) (medians)`,
            `≤ ${BUDGET.rangeGrowth}×`,
            growth === null ? 'n/a' : `${growth.toFixed(2)}×`,
            verdict(growth !== null && growth <= BUDGET.rangeGrowth)
          ]
        ]
      ),
      ''
    )
    out.push(`Load average at the end: ${loadAverage()}.`, '')
    console.log(out.join('\n'))
  } finally {
    await em.stop()
    if (!args.keep) await rm(base, { recursive: true, force: true })
    else progress(`kept ${base}`)
  }
}

await main()
