// The real sentry-cli injects debug IDs into a small build and uploads it as an artifact bundle to the emulator.
import { afterAll, afterEach, beforeAll, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { DEFAULT_TOKEN, startEmulator, type Emulator } from '../../emulator/index.js'
import { sentryCliEnv } from '../../harness/sentry-cli.js'

const run = promisify(execFile)
const SENTRY_CLI = resolve('node_modules/.bin/sentry-cli')

let em: Emulator
let home: string
let build = ''
beforeAll(async () => {
  em = await startEmulator({ assembleDelayMs: 20 })
  home = await mkdtemp(join(tmpdir(), 'sentry-cli-home-'))
})
afterAll(async () => {
  await em.stop()
  await rm(home, { recursive: true, force: true })
})
afterEach(async () => {
  em.reset()
  if (build) await rm(build, { recursive: true, force: true })
})

/** A build: two bundles with maps (one in a sub-folder) and one without. */
async function makeBuild(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sourcemaps-build-'))
  await mkdir(join(dir, 'chunks'))
  const map = (file: string, source: string) =>
    JSON.stringify({
      version: 3,
      file,
      sources: [`../src/${source}`],
      sourcesContent: ['export const add = (a, b) => a + b\n'],
      names: ['add'],
      mappings: 'AAAO,IAAMA'
    })
  await writeFile(join(dir, 'app.js'), 'const add=(a,b)=>a+b;console.log(add(1,2));\n//# sourceMappingURL=app.js.map\n')
  await writeFile(join(dir, 'app.js.map'), map('app.js', 'app.ts'))
  await writeFile(join(dir, 'chunks', 'lib.js'), 'export const twice=x=>x*2;\n//# sourceMappingURL=lib.js.map\n')
  await writeFile(join(dir, 'chunks', 'lib.js.map'), map('lib.js', 'lib.ts'))
  await writeFile(join(dir, 'plain.js'), 'console.log("no map")\n')
  return dir
}

/** sentry-cli aimed at the emulator, without update check; a dead proxy stops any request to another host. */
async function sentryCli(...args: string[]): Promise<string> {
  const env = sentryCliEnv(em.url, home, DEFAULT_TOKEN)
  return (await run(SENTRY_CLI, args, { cwd: build, env })).stdout
}

const debugIdIn = async (file: string): Promise<string> =>
  /\/\/# debugId=([0-9a-f-]{36})/.exec(await readFile(join(build, file), 'utf8'))?.[1] ?? 'none'

test('sentry-cli sourcemaps inject + upload --release --dist --wait: the emulator stores the bundle sentry-cli built', async () => {
  build = await makeBuild()
  await sentryCli('sourcemaps', 'inject', '.')
  const out = await sentryCli('sourcemaps', 'upload', '--release', '1.0.0', '--dist', 'web1', '--wait', '.')
  expect(out).toContain('File processing complete')

  const appId = await debugIdIn('app.js')
  const libId = await debugIdIn('chunks/lib.js')
  const plainId = await debugIdIn('plain.js')
  const [bundle, ...others] = em.artifactBundles('acme')
  expect(others).toEqual([])
  expect(bundle).toMatchObject({
    header: { magic: 'SYSB', version: 2 },
    problems: [],
    projects: ['web'],
    releases: [{ release: '1.0.0', dist: 'web1' }],
    artifactCount: 5,
    manifest: { org: 'acme', project: 'web', release: '1.0.0', dist: 'web1' }
  })
  const byUrl = Object.fromEntries(bundle.files.map(f => [f.url, f]))
  expect(Object.keys(byUrl).sort()).toEqual(['~/app.js', '~/app.js.map', '~/chunks/lib.js', '~/chunks/lib.js.map', '~/plain.js'])
  expect(byUrl['~/app.js']).toMatchObject({
    type: 'minified_source',
    debugId: appId,
    headers: { 'debug-id': appId, sourcemap: 'app.js.map' }
  })
  expect(byUrl['~/app.js.map']).toMatchObject({ type: 'source_map', debugId: appId })
  expect(byUrl['~/chunks/lib.js.map']).toMatchObject({ type: 'source_map', debugId: libId })
  expect(byUrl['~/plain.js']).toMatchObject({ type: 'minified_source', debugId: plainId })
  expect(byUrl['~/app.js'].content).toBe(await readFile(join(build, 'app.js'), 'utf8'))
  expect(JSON.parse(byUrl['~/app.js.map'].content ?? '{}')).toMatchObject({ debugId: appId })
  expect(bundle.debugIds).toEqual(
    expect.arrayContaining([
      { debugId: appId, type: 'minified_source' },
      { debugId: appId, type: 'source_map' },
      { debugId: libId, type: 'minified_source' },
      { debugId: libId, type: 'source_map' },
      { debugId: plainId, type: 'minified_source' }
    ])
  )
  expect(bundle.debugIds).toHaveLength(5)

  // Options, assemble (missing chunks), the chunks, then assemble until ok; nothing failed and nothing else was asked.
  const calls = em.requests.map(r => `${r.method} ${r.path}`)
  expect(calls.slice(0, 4)).toEqual([
    'GET /api/0/organizations/acme/chunk-upload/',
    'POST /api/0/organizations/acme/artifactbundle/assemble/',
    'POST /api/0/organizations/acme/chunk-upload/',
    'POST /api/0/organizations/acme/artifactbundle/assemble/'
  ])
  expect(new Set(calls.slice(4))).toEqual(new Set(['POST /api/0/organizations/acme/artifactbundle/assemble/']))
  expect(em.requests.every(r => r.status === 200)).toBe(true)
  expect(em.requests[2].body).toEqual({ multipart: [{ name: 'file_gzip', filename: bundle.checksum, size: expect.any(Number) }] })
}, 60_000)

test('sentry-cli sourcemaps upload without a release or --wait: debug IDs alone are enough', async () => {
  build = await makeBuild()
  await sentryCli('sourcemaps', 'inject', '.')
  // One assemble call after the chunks: the task has only been created.
  expect(await sentryCli('sourcemaps', 'upload', '.')).toContain('File upload complete (processing pending on server)')
  await em.settle()
  const [bundle] = em.artifactBundles('acme')
  expect(bundle).toMatchObject({ releases: [], problems: [], projects: ['web'] })
  expect(bundle.debugIds).toHaveLength(5)
  expect(bundle.manifest).not.toHaveProperty('release')
}, 60_000)
