// The real sentry-cli (node_modules/@sentry/cli-linux-x64) and this action on the same esbuild build: each leaves
// the other's injection alone, the snippet is byte for byte sentry-cli's, and both upload the same bundle manifest.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { SourceMapConsumer } from 'source-map-js'
import { DEFAULT_TOKEN, startEmulator, type Emulator } from '../../emulator/index.js'
import { sentryCliEnv } from '../../harness/sentry-cli.js'
import { retryPolicy } from '../../src/core/retry-policy.js'
import { createSentryClient } from '../../src/io/sentry-client.js'
import { createChunkPoster } from '../../src/io/sourcemaps/chunk-http.js'
import { debugIdSnippet } from '../../src/core/sourcemaps/inject.js'
import { runSourceMapStep } from '../../src/steps/sourcemaps/step.js'
import { BUILT, buildApp, type BuiltApp } from '../../harness/bundler-fixture.js'
import { localStepPorts, sourceMapSettingsWith } from '../helpers/source-map-step.js'

const run = promisify(execFile)
const SENTRY_CLI = path.resolve('node_modules/@sentry/cli-linux-x64/bin/sentry-cli')

let pristine: BuiltApp
let em: Emulator
let home: string
beforeAll(async () => {
  pristine = await buildApp()
  em = await startEmulator({ assembleDelayMs: 5, strictBundles: true })
  home = await mkdtemp(path.join(tmpdir(), 'sentry-cli-home-'))
}, 60_000)
afterAll(async () => {
  await em.stop()
  await pristine.remove()
  await rm(home, { recursive: true, force: true })
})

/** sentry-cli aimed at the emulator, without update check; a dead proxy stops any request to another host. */
async function sentryCli(cwd: string, ...args: string[]): Promise<string> {
  const env = sentryCliEnv(em.url, home, DEFAULT_TOKEN)
  return (await run(SENTRY_CLI, args, { cwd, env })).stdout
}

const inject = (app: BuiltApp) => runSourceMapStep(sourceMapSettingsWith(app.workspace), undefined, localStepPorts())

test('files sentry-cli injected are left alone by ours, byte for byte', async () => {
  const app = await pristine.copy()
  await sentryCli(app.workspace, 'sourcemaps', 'inject', 'dist')
  const theirs = await app.snapshot()
  expect(theirs).not.toEqual(await pristine.snapshot())
  const outcome = await inject(app)
  expect(await app.snapshot()).toEqual(theirs)
  const scripts = outcome.files.filter(file => file.kind === 'script')
  expect(scripts.map(file => file.change)).toEqual(scripts.map(() => 'kept'))
  // The IDs read are sentry-cli's.
  for (const script of scripts) {
    const text = theirs.get(path.relative(app.dist, script.path))?.toString() ?? ''
    expect(script.debugId).toBe(/\/\/# debugId=([0-9a-f-]{36})/.exec(text)?.[1])
  }
}, 60_000)

test('files we injected are left alone by sentry-cli, which reads our debug IDs', async () => {
  const app = await pristine.copy()
  const outcome = await inject(app)
  const ours = await app.snapshot()
  const report = await sentryCli(app.workspace, 'sourcemaps', 'inject', 'dist')
  expect(await app.snapshot()).toEqual(ours)
  expect(report).not.toContain('Modified')
  for (const script of outcome.files.filter(file => file.kind === 'script')) {
    expect(report).toContain(`${script.debugId} - ${path.join('dist', path.relative(app.dist, script.path))}`)
  }
}, 60_000)

test('our snippet is byte for byte the one sentry-cli inserts', async () => {
  const app = await pristine.copy()
  await sentryCli(app.workspace, 'sourcemaps', 'inject', 'dist')
  const text = await readFile(app.file(BUILT.app), 'utf8')
  const id = /\/\/# debugId=([0-9a-f-]{36})/.exec(text)?.[1] ?? ''
  expect(text.split('\n')).toContain(debugIdSnippet(id))
}, 60_000)

test('sentry-cli and this action upload the same manifest for the same injected build', async () => {
  const app = await pristine.copy()
  await inject(app)
  em.reset()
  await sentryCli(app.workspace, 'sourcemaps', 'upload', '--release', '2.0.0', '--dist', 'd1', '--wait', 'dist')
  const ports = localStepPorts({
    send: createSentryClient({
      sentryUrl: em.url,
      authToken: DEFAULT_TOKEN,
      org: 'acme',
      timeoutMs: 10_000,
      retry: retryPolicy(process.env)
    }),
    postChunks: createChunkPoster({ authToken: DEFAULT_TOKEN, timeoutMs: 10_000, retry: retryPolicy(process.env) })
  })
  const settings = sourceMapSettingsWith(app.workspace, { mode: 'upload', inject: false })
  await runSourceMapStep(settings, { sentryUrl: em.url, org: 'acme', projects: ['web'], release: '2.0.0', dist: 'd1' }, ports)
  await em.settle()
  const [theirs, ours] = em.artifactBundles('acme')
  expect(ours.problems).toEqual([])
  // sentry-cli also copies an embedded map's whole data: URL into the manifest as the sourcemap header; Sentry reads
  // the sourceMappingURL from the file when the header is absent, so ours leaves it out (and the manifest small).
  const files = theirs.manifest.files as Record<string, { headers: Record<string, string> }>
  const embedded = files['files/_/_/assets/inline.js'].headers
  expect(embedded.sourcemap).toMatch(/^data:application\/json;base64,/)
  delete embedded.sourcemap
  const shape = (manifest: Record<string, unknown>) => ({ ...manifest, debug_id: 'bundle id' })
  expect(shape(ours.manifest)).toEqual(shape(theirs.manifest))
  const contents = (bundle: typeof ours) => Object.fromEntries(bundle.files.map(file => [file.path, file.content]))
  // Identical bytes but for the maps, which sentry-cli rewrites (names deduplicated, debug_id dropped): same mappings.
  const [mine, cli] = [contents(ours), contents(theirs)]
  for (const [file, content] of Object.entries(cli)) {
    if (file.endsWith('.map')) expect({ file, mappings: mappingsOf(mine[file]) }).toEqual({ file, mappings: mappingsOf(content) })
    else expect({ file, content: mine[file] }).toEqual({ file, content })
  }
}, 60_000)

/** Every mapping of a map as [generated line, column, source, original line, column, name]. */
function mappingsOf(json: string | null | undefined): unknown[] {
  const mappings: unknown[] = []
  new SourceMapConsumer(JSON.parse(json ?? '{}')).eachMapping(m => {
    mappings.push([m.generatedLine, m.generatedColumn, m.source, m.originalLine, m.originalColumn, m.name])
  })
  return mappings
}
