// The bundled action (dist/index.js) injects and uploads a real esbuild build to the emulator, which assembles the
// artifact bundle with Sentry's rules and checks (strictBundles: anything symbolic could not use fails the assemble).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import * as path from 'node:path'
import { DEFAULT_TOKEN, defaultSeed, startEmulator, type Emulator } from '../../emulator/index.js'
import { BUILT, buildApp, type BuiltApp } from '../../harness/bundler-fixture.js'
import { pushTagIn } from '../helpers/e2e-fixture.js'
import { makeRepo, type TestRepo } from '../../harness/git-repo.js'
import { annotations, runAction } from '../../harness/run-action.js'

let repo: TestRepo
let pristine: BuiltApp
let em: Emulator
beforeAll(async () => {
  repo = await makeRepo()
  await repo.commit('feat: first')
  await repo.tag('v1.0.0')
  await repo.commit('feat: second')
  await repo.tag('v1.1.0')
  pristine = await buildApp()
  em = await startEmulator({ git: repo.dir, fetchDelayMs: 10, assembleDelayMs: 10, strictBundles: true })
}, 60_000)
afterAll(async () => {
  await em.stop()
  await repo.remove()
  await pristine.remove()
})
beforeEach(() => em.reset({ ...defaultSeed(), releases: [{ org: 'acme', version: 'v1.0.0', projects: ['web'] }] }))

const chunkPosts = (): number => em.requests.filter(r => r.method === 'POST' && r.path.endsWith('/chunk-upload/')).length
const debugIdIn = async (app: BuiltApp, name: string): Promise<string | undefined> =>
  /\/\/# debugId=([0-9a-f-]{36})\n$/.exec(await readFile(app.file(name), 'utf8'))?.[1]

describe('source maps through the bundled action', () => {
  test('a tag push injects the build and uploads one bundle naming the release and dist', async () => {
    const app = await pristine.copy()
    const run = await pushTagIn(repo, em.url, 'v1.1.0', { sourcemaps: app.dist, dist: 'web-42' })
    expect({ code: run.code, errors: annotations(run.stdout).filter(([kind]) => kind === 'error') }).toEqual({ code: 0, errors: [] })
    // A real upload is not described as a dry run.
    expect(run.stdout).not.toContain('would send')
    expect(run.stdout).toMatch(/artifact bundle [0-9a-f-]{36} uploaded and assembled \(1 chunk \(0\.0 MiB\) sent\)\./)
    await em.settle()

    const [bundle, ...others] = em.artifactBundles('acme')
    expect(others).toEqual([])
    expect(bundle).toMatchObject({
      header: { magic: 'SYSB', version: 2 },
      problems: [],
      projects: ['web'],
      releases: [{ release: 'v1.1.0', dist: 'web-42' }],
      manifest: { org: 'acme', project: 'web', release: 'v1.1.0', dist: 'web-42', debug_id: bundle.bundleId }
    })
    const byUrl = Object.fromEntries(bundle.files.map(file => [file.url, file]))
    expect(Object.keys(byUrl).sort()).toEqual([
      '~/assets/app.js',
      '~/assets/app.js.map',
      '~/assets/client.mjs',
      '~/assets/client.mjs.map',
      '~/assets/inline.js',
      '~/assets/named.js',
      '~/assets/named.js.map',
      '~/assets/nomap.js',
      '~/bin/cli.cjs',
      '~/bin/cli.cjs.map'
    ])
    for (const name of Object.values(BUILT)) {
      const id = await debugIdIn(app, name)
      expect(id).toMatch(/^[0-9a-f-]{36}$/)
      const script = byUrl[`~/${name}`]
      expect({ name, type: script.type, debugId: script.debugId, content: script.content }).toEqual({
        name,
        type: 'minified_source',
        debugId: id,
        content: await readFile(app.file(name), 'utf8')
      })
      const map = byUrl[`~/${name}.map`]
      if (map) expect({ name, type: map.type, debugId: map.debugId }).toEqual({ name, type: 'source_map', debugId: id })
    }
    expect(byUrl['~/assets/app.js'].headers).toEqual({ 'debug-id': byUrl['~/assets/app.js'].debugId, sourcemap: 'app.js.map' })
    expect(byUrl['~/assets/named.js'].headers).toMatchObject({ sourcemap: 'named.js.map' })
    expect(bundle.debugIds).toHaveLength(10)

    expect(run.outputs).toMatchObject({
      release: 'v1.1.0',
      sourcemapsUploaded: '10',
      sourcemapsInjected: '6',
      artifactBundleId: bundle.bundleId,
      artifactBundleChecksum: bundle.checksum
    })
    const json = JSON.parse(run.outputs.json) as { version: string; sourcemaps: { files: Array<{ file: string; debugId: string }> } }
    expect(json.version).toBe('v1.1.0')
    expect(json.sourcemaps.files.find(file => file.file.endsWith(BUILT.app))?.debugId).toBe(await debugIdIn(app, BUILT.app))
    expect(run.summary).toContain('### Source maps')

    // Options (while injecting), assemble (which chunks are missing), the chunks, assemble until ok.
    const calls = em.requests
      .filter(r => !r.path.includes('/releases/') && !r.path.includes('/repos/'))
      .map(r => `${r.method} ${r.path.replace(/^\/api\/0\/organizations\/acme\//, '')}`)
    const assembleCall = 'POST artifactbundle/assemble/'
    expect(calls.slice(0, 4)).toEqual(['GET chunk-upload/', assembleCall, 'POST chunk-upload/', assembleCall])
    expect(new Set(calls.slice(4))).toEqual(new Set(calls.length > 4 ? [assembleCall] : []))
    const assemble = em.requests.find(r => r.path.endsWith('/assemble/'))?.body
    expect(assemble).toEqual({ checksum: bundle.checksum, chunks: bundle.chunks, projects: ['web'], version: 'v1.1.0', dist: 'web-42' })
  }, 60_000)

  test('a rerun sends no chunk: Sentry has the bundle already', async () => {
    const app = await pristine.copy()
    await pushTagIn(repo, em.url, 'v1.1.0', { sourcemaps: app.dist })
    await em.settle()
    const posts = chunkPosts()
    const rerun = await pushTagIn(repo, em.url, 'v1.1.0', { sourcemaps: app.dist })
    expect(rerun.code).toBe(0)
    expect(chunkPosts()).toBe(posts)
    expect(rerun.stdout).toMatch(/Sentry had every chunk/)
    expect(rerun.outputs.sourcemapsInjected).toBe('0')
  }, 60_000)

  test('inject in the build job (no token, no org, no git), upload in the deploy job: the deployed files keep their IDs', async () => {
    const app = await pristine.copy()
    const build = await runAction({
      inputs: { sourcemaps: 'dist', sourcemaps_mode: 'inject' },
      eventName: 'push',
      payload: {},
      ref: 'refs/heads/main',
      sha: 'f'.repeat(40),
      workspace: app.workspace
    })
    expect({ code: build.code, stderr: build.stderr }).toEqual({ code: 0, stderr: '' })
    expect(em.requests).toEqual([])
    expect(build.outputs).toMatchObject({ sourcemapsInjected: '6', sourcemapsUploaded: '0' })
    const injected = await app.snapshot()

    const deploy = await pushTagIn(repo, em.url, 'v1.1.0', { sourcemaps: app.dist, sourcemaps_mode: 'upload' })
    expect(deploy.code).toBe(0)
    expect(await app.snapshot()).toEqual(injected)
    await em.settle()
    const [bundle] = em.artifactBundles('acme')
    const app1 = bundle.files.find(file => file.url === '~/assets/app.js')
    expect(app1?.debugId).toBe(await debugIdIn(app, BUILT.app))
    expect(deploy.outputs.sourcemapsInjected).toBe('0')
  }, 60_000)

  test('inject only, given a token anyway (a shared `with:` block): the token is masked first, though nothing is sent', async () => {
    const app = await pristine.copy()
    const run = await runAction({
      inputs: { sourcemaps: 'dist', sourcemaps_mode: 'inject', auth_token: DEFAULT_TOKEN },
      eventName: 'push',
      payload: {},
      ref: 'refs/heads/main',
      sha: 'f'.repeat(40),
      workspace: app.workspace
    })
    expect(run.code).toBe(0)
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${DEFAULT_TOKEN}`)
    expect(em.requests).toEqual([])
  })

  test('small chunks: several requests in parallel, each within chunksPerRequest and maxRequestSize', async () => {
    const small = await startEmulator({
      git: repo.dir,
      fetchDelayMs: 10,
      assembleDelayMs: 10,
      strictBundles: true,
      chunkUpload: { chunkSize: 1024, chunksPerRequest: 2, maxRequestSize: 2048, concurrency: 3 },
      seed: { ...defaultSeed(), releases: [{ org: 'acme', version: 'v1.0.0', projects: ['web'] }] }
    })
    try {
      const app = await pristine.copy()
      const run = await pushTagIn(repo, small.url, 'v1.1.0', { sourcemaps: app.dist })
      expect(run.code).toBe(0)
      await small.settle()
      const [bundle] = small.artifactBundles('acme')
      expect(bundle.problems).toEqual([])
      expect(bundle.chunks.length).toBeGreaterThan(4)
      const posts = small.requests.filter(r => r.method === 'POST' && r.path.endsWith('/chunk-upload/'))
      expect(posts.every(post => post.status === 200)).toBe(true)
      const parts = posts.map(post => (post.body as { multipart: Array<{ name: string; filename: string }> }).multipart)
      expect(parts.every(list => list.length >= 1 && list.length <= 2 && list.every(part => part.name === 'file_gzip'))).toBe(true)
      expect(
        parts
          .flat()
          .map(part => part.filename)
          .sort()
      ).toEqual([...new Set(bundle.chunks)].sort())
    } finally {
      await small.stop()
    }
  }, 60_000)

  test('a chunk upload Sentry refuses fails the step with one line naming the answer and the chunks', async () => {
    const app = await pristine.copy()
    em.addFault({ method: 'POST', path: '/chunk-upload/', status: 400, body: { error: 'Chunk size too large' } })
    const run = await pushTagIn(repo, em.url, 'v1.1.0', { sourcemaps: app.dist })
    expect(run.code).toBe(1)
    const errors = annotations(run.stdout)
      .filter(([kind]) => kind === 'error')
      .map(([, message]) => message)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      new RegExp(
        '^Sentry release v1\\.1\\.0 was updated, but its source maps were not uploaded: ' +
          'Sentry answered 400: error: Chunk size too large to the upload of 1 chunk \\(0\\.\\d MiB, [0-9a-f]{40}\\) ' +
          'to http://127\\.0\\.0\\.1:\\d+/api/0/organizations/acme/chunk-upload/$'
      )
    )
    expect(em.artifactBundles('acme')).toEqual([])
  }, 60_000)

  test('a chunk upload answered 503 is sent again, whole: the second attempt carries the same parts and the bundle assembles', async () => {
    const app = await pristine.copy()
    em.addFault({ method: 'POST', path: '/chunk-upload/', status: 503 })
    const run = await pushTagIn(repo, em.url, 'v1.1.0', { sourcemaps: app.dist })
    expect({ code: run.code, errors: annotations(run.stdout).filter(([kind]) => kind === 'error') }).toEqual({ code: 0, errors: [] })
    expect(run.stdout).toMatch(/Chunk upload: Sentry answered 503.*; retrying in \d+\.\d s \(attempt 2\)\./)
    const posts = em.requests.filter(r => r.method === 'POST' && r.path.endsWith('/chunk-upload/'))
    expect(posts.map(post => post.status)).toEqual([503, 200])
    // The same multipart body both times (a stream used up by the first attempt would send nothing the second time).
    const parts = posts.map(post => (post.body as { multipart: Array<{ filename: string; size?: number }> }).multipart)
    expect(parts[1]).toEqual(parts[0])
    await em.settle()
    expect(em.artifactBundles('acme')).toHaveLength(1)
  }, 60_000)

  test('no files: a warning, or with sourcemaps_strict an error naming it', async () => {
    const app = await pristine.copy()
    const loose = await pushTagIn(repo, em.url, 'v1.1.0', { sourcemaps: path.join(app.workspace, 'src') })
    expect(loose.code).toBe(0)
    const warnings = annotations(loose.stdout)
      .filter(([kind]) => kind === 'warning')
      .map(([, message]) => message)
    expect(warnings.join('\n')).toMatch(/no \.js, \.mjs, \.cjs or \.map files/)
    const strict = await pushTagIn(repo, em.url, 'v1.1.0', { sourcemaps: path.join(app.workspace, 'src'), sourcemaps_strict: 'true' })
    expect(strict.code).toBe(1)
    const error = annotations(strict.stdout).find(([kind]) => kind === 'error')?.[1]
    expect(error).toMatch(/^Input 'sourcemaps_strict': is true and sourcemaps: no /)
  }, 60_000)

  test('a dry run changes no file, sends nothing and lists the files, IDs and requests', async () => {
    const app = await pristine.copy()
    const before = await app.snapshot()
    const run = await runAction({
      inputs: { sourcemaps: 'dist', dry_run: 'true', org: 'acme', projects: 'web', sentry_url: em.url, set_commits: 'skip' },
      eventName: 'push',
      payload: {},
      ref: 'refs/heads/main',
      sha: await repo.git('rev-parse', 'HEAD'),
      workspace: app.workspace,
      env: { GITHUB_WORKSPACE: app.workspace }
    })
    expect(await app.snapshot()).toEqual(before)
    expect(em.requests).toEqual([])
    expect(run.stdout).toContain(`Dry run: the source maps upload would send:\n  GET ${em.url}/api/0/organizations/acme/chunk-upload/`)
    expect(run.stdout).toMatch(/[0-9a-f-]{36} {2}dist\/assets\/app\.js -> app\.js\.map: injected \(first line\)/)
    expect(run.outputs.artifactBundleChecksum).toMatch(/^[0-9a-f]{40}$/)
  }, 60_000)
})
