// `npm run bench:sourcemaps`: inject + upload of a large esbuild build (~300 files, ~60 MB) by this action
// (one `node dist/index.js`, sourcemaps_mode both) against sentry-cli's `sourcemaps inject` + `sourcemaps upload`
// (two processes), on fresh copies of the same files, against the emulator with the release benchmark's emulated
// latency on every request. Prints markdown: wall time, peak RSS (GNU time), requests and bytes sent.
import { build } from 'esbuild'
import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_TOKEN, defaultSeed, startEmulator, type Emulator } from '../emulator/index.js'
import { ACTION_BUNDLE } from '../harness/action-node.js'
import { tagPushEvent } from '../harness/events.js'
import { runnerEnv } from '../harness/runner-env.js'
import { sentryCliEnv } from '../harness/sentry-cli.js'
import { inSequence, sentryCliBinary } from './lib/contenders.js'
import { describeMachine } from './lib/machine.js'
import { measure, type Measurement } from './lib/measure.js'
import { formatSpread, mib, ratio, spread, table, type Spread } from './lib/stats.js'

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    entries: { type: 'string', default: '150' },
    'latency-ms': { type: 'string', default: '50' },
    keep: { type: 'boolean', default: false }
  }
})
const ROUNDS = Number(args.rounds)
const ENTRIES = Number(args.entries)
const LATENCY_MS = Number(args['latency-ms'])
const BUDGET = { wallRatio: 1, aim: 0.7, rssMiB: 150 }
const RELEASE = 'bench-sourcemaps-1.0.0'

/** One deterministic pseudo-random module of 110 functions: minified by esbuild into ~100 KB with a ~300 KB map. */
function moduleSource(index: number): string {
  let seed = index * 7919 + 17
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31)
  const word = (): string => ['price', 'cart', 'item', 'user', 'total', 'tax', 'order', 'stock', 'label', 'route'][next() % 10]
  // Literals as varied as real code's keep the bundle about as compressible as a real build (~4:1).
  const literal = (): string => `${next().toString(36)}${next().toString(36)}`
  const lines = [`import { shared${index % 7} } from './shared'`]
  for (let f = 0; f < 110; f++) {
    const name = `${word()}${word()[0].toUpperCase()}${word().slice(1)}${f}`
    lines.push(`export function ${name}(input: { ${word()}: number; ${word()}List: string[] }, factor = ${next() % 100}): string {`)
    for (let s = 0; s < 12; s++) {
      const mapped = `input.${word()}List.map((entry, i) => \`\${entry}:\${i * factor + ${next() % 1000}}\`)`
      lines.push(`  const ${word()}${s} = ${mapped}.join('${literal()}')`)
    }
    lines.push(`  if (factor > ${next() % 100}) throw new Error('${name} failed for ' + shared${index % 7}(factor))`)
    lines.push(`  return [${Array.from({ length: 6 }, () => `'${word()}'`).join(', ')}].join('-') + factor`, '}')
  }
  return lines.join('\n')
}

/** The build: ENTRIES scripts with maps (2 × ENTRIES files), written once and copied for every run. */
async function makeBuild(base: string): Promise<{ dir: string; files: number; bytes: number }> {
  const src = join(base, 'src')
  await mkdir(src, { recursive: true })
  const shared = Array.from({ length: 7 }, (_, i) => `export const shared${i} = (n: number): string => 'v${i}-' + n`)
  await writeFile(join(src, 'shared.ts'), shared.join('\n'))
  const entryPoints: string[] = []
  for (let i = 0; i < ENTRIES; i++) {
    const file = join(src, `page${i}.ts`)
    await writeFile(file, moduleSource(i))
    entryPoints.push(file)
  }
  const dir = join(base, 'pristine')
  const outdir = join(dir, 'dist', 'assets')
  await build({ entryPoints, outdir, bundle: true, minify: true, sourcemap: true, format: 'esm', logLevel: 'silent' })
  let files = 0
  let bytes = 0
  for (const entry of await readdir(join(dir, 'dist', 'assets'))) {
    files++
    bytes += (await stat(join(dir, 'dist', 'assets', entry))).size
  }
  return { dir, files, bytes }
}

async function ours(em: Emulator, workspace: string, tempDir: string): Promise<Measurement> {
  const { env } = await runnerEnv({
    ...tagPushEvent({ tag: 'v1.0.0', tagObject: 'a'.repeat(40), commit: 'a'.repeat(40) }),
    workspace,
    tempDir,
    inputs: { release: RELEASE, projects: 'web', set_commits: 'skip', sourcemaps: 'dist', dist: 'web' },
    env: { SENTRY_URL: em.url, SENTRY_AUTH_TOKEN: DEFAULT_TOKEN, SENTRY_ORG: 'acme' }
  })
  return measure(process.execPath, [ACTION_BUNDLE], em.url, { cwd: workspace, env })
}

async function sentryCli(em: Emulator, workspace: string, tempDir: string): Promise<Measurement> {
  const binary = sentryCliBinary()
  const env = sentryCliEnv(em.url, tempDir, DEFAULT_TOKEN)
  const steps = [
    ['sourcemaps', 'inject', 'dist'],
    ['sourcemaps', 'upload', '--release', RELEASE, '--dist', 'web', '--wait', 'dist']
  ]
  return inSequence(steps.map(step => () => measure(binary, step, em.url, { cwd: workspace, env })))
}

async function main(): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'bench-sourcemaps-'))
  const em = await startEmulator({ assembleDelayMs: 20 })
  try {
    const made = await makeBuild(base)
    const cli = sentryCliBinary()
    const results: Record<'ours' | 'cli', Measurement[]> = { ours: [], cli: [] }
    const bundles: Record<'ours' | 'cli', number[]> = { ours: [], cli: [] }
    let serial = 0
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved, each on a fresh copy and a fresh Sentry (no chunk known from an earlier run).
      for (const who of round % 2 === 0 ? (['ours', 'cli'] as const) : (['cli', 'ours'] as const)) {
        const run = join(base, 'runs', String(++serial))
        await cp(made.dir, run, { recursive: true })
        em.reset({ ...defaultSeed(), releases: [{ org: 'acme', version: RELEASE, projects: ['web'] }] })
        if (LATENCY_MS > 0) em.addFault({ delayMs: LATENCY_MS, times: Infinity })
        const m = await (who === 'ours' ? ours : sentryCli)(em, run, join(run, 'tmp'))
        const tail = `${m.stdout}\n${m.stderr}`.trim().split('\n').slice(-8).join('\n')
        if (m.code !== 0) throw new Error(`${who} failed (exit ${m.code}):\n${tail}`)
        await em.settle()
        const bundle = em.artifactBundles('acme')[0]
        if (!bundle || bundle.problems.length > 0) throw new Error(`${who}: no sound bundle assembled (${bundle?.problems.join('; ')})`)
        results[who].push(m)
        bundles[who].push(bundle.size)
        await rm(run, { recursive: true, force: true })
      }
    }
    const wall = (ms: Measurement[]): Spread | null => spread(ms.map(m => m.wallMs))
    const rss = (ms: Measurement[]): Spread | null => spread(ms.map(m => m.peakRssKiB && m.peakRssKiB / 1024))
    const requests = (ms: Measurement[]): Spread | null => spread(ms.map(m => m.requests.length))
    const row = (who: 'ours' | 'cli'): string[] => [
      formatSpread(wall(results[who]), 'ms'),
      formatSpread(rss(results[who]), 'MiB', 1),
      formatSpread(requests(results[who]), ''),
      formatSpread(spread(bundles[who].map(bytes => bytes / 2 ** 20)), 'MiB', 1)
    ]
    const yesNo = (met: boolean): string => (met ? 'yes' : 'no')
    const worstRss = Math.max(...results.ours.map(m => (m.peakRssKiB ?? NaN) / 1024))
    const wallRatio = (wall(results.ours)?.median ?? NaN) / (wall(results.cli)?.median ?? NaN)
    const out = [
      '# Source maps benchmark',
      '',
      `Machine: ${await describeMachine(cli)}.`,
      `Command: \`npm run bench:sourcemaps -- --rounds ${ROUNDS} --entries ${ENTRIES} --latency-ms ${LATENCY_MS}\`.`,
      `Build: esbuild, ${ENTRIES} minified ESM entry points with external maps: ${made.files} files, ${mib(made.bytes)}. ` +
        `Emulated latency: ${LATENCY_MS} ms on every request. Rounds: ${ROUNDS}, interleaved, each on a fresh copy and a fresh Sentry.`,
      '',
      table(
        ['', 'wall time', 'peak RSS', 'HTTP requests', 'bundle size'],
        [
          ['this action: one `node dist/index.js` (release PUT + inject + upload)', ...row('ours')],
          ['sentry-cli `sourcemaps inject` + `sourcemaps upload --wait`', ...row('cli')],
          ['ratio', ratio(wall(results.ours), wall(results.cli)), ratio(rss(results.ours), rss(results.cli)), '', '']
        ]
      ),
      '',
      table(
        ['budget', 'target', 'measured', 'met'],
        [
          [
            'wall time vs sentry-cli',
            `≤ ${BUDGET.wallRatio}× (aim ${BUDGET.aim}×)`,
            `${wallRatio.toFixed(2)}×`,
            yesNo(wallRatio <= BUDGET.wallRatio)
          ],
          ['peak RSS (worst run)', `≤ ${BUDGET.rssMiB} MiB`, `${worstRss.toFixed(1)} MiB`, yesNo(worstRss <= BUDGET.rssMiB)]
        ]
      )
    ]
    console.log(out.join('\n'))
  } finally {
    await em.stop()
    if (!args.keep) await rm(base, { recursive: true, force: true })
    else console.log(`kept ${base}`)
  }
}

await main()
