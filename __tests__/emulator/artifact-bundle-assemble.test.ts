// POST organizations/{org}/artifactbundle/assemble/: body checks, missingChunks, the background task's states and checks.
import { afterEach, describe, expect, test } from '@jest/globals'
import { defaultSeed, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js'
import { call, type Answer } from './client.js'
import { seedWith } from './seeds.js'
import { ASSEMBLE, chunk, chunkParts, send, sha1, sourceBundle, SYSB_HEADER, uploadParts, zip, type BundleFile } from './uploads.js'

let em: Emulator
afterEach(async () => {
  await em.stop()
})

const start = async (options: EmulatorOptions = {}): Promise<Emulator> => (em = await startEmulator({ assembleDelayMs: 5, ...options }))
const assemble = (body: unknown): Promise<Answer> => call(em.url, 'POST', ASSEMBLE, body)
const error = (message: string) => ({ status: 400, body: { error: message } })

const APP_ID = '2b69e5bd-2e98-4c57-8ce1-b58da19110ae'
const FILES: BundleFile[] = [
  { path: 'files/_/_/app.js', debugId: APP_ID, content: 'console.log(1)\n//# debugId=2b69e5bd-2e98-4c57-8ce1-b58da19110ae\n' },
  { path: 'files/_/_/app.js.map', type: 'source_map', debugId: APP_ID, content: '{"version":3,"sources":[],"mappings":""}' }
]

/** Uploads the file's chunks (gzip parts) and returns the assemble request naming them. */
async function uploaded(data: Buffer, extra: Record<string, unknown> = {}, chunkSize = 256): Promise<Record<string, unknown>> {
  const { checksum, chunks } = chunk(data, chunkSize)
  expect((await uploadParts(em.url, chunkParts(chunks, true))).status).toBe(200)
  return { checksum, chunks: chunks.map(c => c.checksum), projects: ['web'], ...extra }
}

/** Polls like sentry-cli --wait until ok or error; the states seen, in order, without repeats. */
async function pollStates(body: Record<string, unknown>): Promise<string[]> {
  const states: string[] = []
  for (;;) {
    const { state, detail } = (await assemble(body)).body as { state: string; detail?: string | null }
    const seen = state === 'error' ? `error: ${detail}` : state
    if (states[states.length - 1] !== seen) states.push(seen)
    if (state === 'ok' || state === 'error') return states
    await new Promise(resolve => setTimeout(resolve, 2))
  }
}

/** Uploads, assembles and waits: the final state (with the error detail). */
async function assembled(data: Buffer, extra: Record<string, unknown> = {}): Promise<string> {
  const states = await pollStates(await uploaded(data, extra))
  return states[states.length - 1]
}

describe('assemble body', () => {
  const valid = { checksum: sha1('a'), chunks: [sha1('a')], projects: ['web'] }

  test("orjson and jsonschema errors, with Sentry's message per field", async () => {
    await start()
    expect(await send(em.url, 'POST', ASSEMBLE, '{nope')).toMatchObject(error('Invalid json body'))
    expect(await send(em.url, 'POST', ASSEMBLE, '')).toMatchObject(error('Invalid json body'))
    expect(await send(em.url, 'POST', ASSEMBLE, '[1, "a\'", null, true, 1.5, 2e20]')).toMatchObject(
      error("[1, \"a'\", None, True, 1.5, 2e+20] is not of type 'object'")
    )
    expect(await assemble({})).toMatchObject(error("'checksum' is a required property"))
    expect(await assemble({ ...valid, chunks: undefined, version: 'a/b' })).toMatchObject(error("'chunks' is a required property"))
    expect(await assemble({ ...valid, foo: 1, bar: 2 })).toMatchObject(
      error("Additional properties are not allowed ('bar', 'foo' were unexpected)")
    )
    expect(await assemble({ ...valid, checksum: 'ABC' })).toMatchObject(
      error('The checksum field is required and must be a 40-character hexadecimal string.')
    )
    expect(await assemble({ ...valid, chunks: [sha1('a'), 'x'] })).toMatchObject(
      error('The chunks field is required and must be provided as an array of 40-character hexadecimal strings.')
    )
    expect(await assemble({ ...valid, projects: 'web' })).toMatchObject(
      error('The projects field is required and must be provided as an array of strings.')
    )
    expect(await assemble({ ...valid, dist: 7 })).toMatchObject(error('The dist field must be a string.'))
    const badVersion = error('The version field cannot be empty and cannot contain any "/" characters.')
    expect(await assemble({ ...valid, version: '' })).toMatchObject(badVersion)
    // The shallowest error wins, then the greatest path: version before checksum.
    expect(await assemble({ ...valid, version: 'a/b', checksum: 'x', chunks: ['y'] })).toMatchObject(badVersion)
  })

  test('projects: at least one, each existing in the org, by slug or id, none repeated', async () => {
    const seed = seedWith()
    seed.orgs[0].projects[0].id = 42
    await start({ seed })
    expect(await assemble({ ...valid, projects: [] })).toMatchObject(error('You need to specify at least one project'))
    const invalid = error('One or more projects are invalid')
    expect(await assemble({ ...valid, projects: ['nope'] })).toMatchObject(invalid)
    expect(await assemble({ ...valid, projects: ['gadget'] })).toMatchObject(invalid)
    expect(await assemble({ ...valid, projects: ['web', 'web'] })).toMatchObject(invalid)
    expect(await assemble({ ...valid, projects: ['web', '42'] })).toMatchObject(invalid)
    expect(await assemble({ ...valid, projects: ['42', 'api'] })).toMatchObject({ status: 200, body: { state: 'not_found' } })
  })
})

describe('assembling', () => {
  test("missingChunks names the chunks the org has not uploaded, once each; another org's chunks do not count", async () => {
    await start({ seed: seedWith() })
    const { chunks } = chunk(Buffer.from(Array.from({ length: 600 }, (_, i) => i % 251)), 256)
    const [a, b, c] = chunks.map(ch => ch.checksum)
    expect((await uploadParts(em.url, chunkParts(chunks), {}, 'globex')).status).toBe(200)
    const body = { checksum: sha1('whatever'), chunks: [a, b, a, c], projects: ['web'] }
    expect(await assemble(body)).toMatchObject({ status: 200, body: { state: 'not_found', missingChunks: [a, b, c] } })
    expect(Object.keys((await assemble(body)).body as object)).toEqual(['state', 'missingChunks'])
    await uploadParts(em.url, chunkParts(chunks.slice(0, 1)))
    expect((await assemble(body)).body).toEqual({ state: 'not_found', missingChunks: [b, c] })
  })

  test('created, then assembling, then ok; later calls answer ok from the status cache', async () => {
    // Each step takes 250 ms: polls every few ms see all three states.
    await start({ assembleDelayMs: 250 })
    const body = await uploaded(sourceBundle(FILES))
    expect((await assemble(body)).body).toEqual({ state: 'created', missingChunks: [] })
    expect(await pollStates(body)).toEqual(['created', 'assembling', 'ok'])
    expect((await assemble(body)).body).toEqual({ state: 'ok', detail: null, missingChunks: [] })
    expect((await assemble({ ...body, chunks: [] })).body).toEqual({ state: 'ok', detail: null, missingChunks: [] })
    const unknown = { checksum: sha1('never'), chunks: [], projects: ['web'] }
    expect((await assemble(unknown)).body).toEqual({ state: 'not_found', missingChunks: [] })
  })

  test('the stored bundle: id from the manifest, release and dist, projects, debug ids, files and their content', async () => {
    await start()
    const data = sourceBundle(FILES, { debug_id: 'E0C4B4B2-66A6-4B8D-9E1C-2B2D5A9D6C11', org: 'acme' })
    expect(await assembled(data, { version: '1.0', dist: 'd1', projects: ['web', 'api'] })).toBe('ok')
    const [bundle] = em.artifactBundles('acme')
    expect(bundle).toMatchObject({
      bundleId: 'e0c4b4b2-66a6-4b8d-9e1c-2b2d5a9d6c11',
      checksum: sha1(data),
      size: data.length,
      artifactCount: 2,
      releases: [{ release: '1.0', dist: 'd1' }],
      projects: ['web', 'api'],
      header: { magic: 'SYSB', version: 2 },
      problems: [],
      debugIds: [
        { debugId: APP_ID, type: 'minified_source' },
        { debugId: APP_ID, type: 'source_map' }
      ]
    })
    expect(bundle.files.map(f => [f.path, f.url, f.type, f.debugId, f.content])).toEqual(
      FILES.map(f => [f.path, f.url ?? `~/${f.path.slice(10)}`, f.type ?? 'minified_source', APP_ID, f.content])
    )
    expect((await call(em.url, 'GET', '/__emulator/artifact-bundles/acme')).body).toEqual(JSON.parse(JSON.stringify([bundle])))
    em.reset()
    expect(em.artifactBundles('acme')).toEqual([])
  })

  test('the same bundle id again updates the one bundle: new file, another release; without debug_id the checksum names it', async () => {
    await start()
    const id = { debug_id: '11111111-2222-3333-4444-555555555555' }
    await assembled(sourceBundle(FILES, id), { version: '1.0' })
    await assembled(sourceBundle(FILES.slice(0, 1), id), { version: '2.0' })
    const [bundle, ...others] = em.artifactBundles('acme')
    expect(others).toEqual([])
    expect(bundle).toMatchObject({
      artifactCount: 1,
      releases: [
        { release: '1.0', dist: null },
        { release: '2.0', dist: null }
      ]
    })
    const data = sourceBundle(FILES.slice(1))
    await assembled(data)
    const [, a, b, c, d, e] = /^(.{8})(.{4})(.{4})(.{4})(.{12})/.exec(sha1(data)) ?? []
    expect(em.artifactBundles('acme')[1].bundleId).toBe(`${a}-${b}-${c}-${d}-${e}`)
  })

  test("the task's errors: checksum mismatch, not a zip, a bad manifest, no debug ids and no release", async () => {
    await start()
    const data = sourceBundle(FILES)
    const body = await uploaded(data)
    const states = await pollStates({ ...body, checksum: sha1('other') })
    expect([states[0], states[states.length - 1]]).toEqual(['created', 'error: Reported checksum mismatch'])
    expect(await assembled(Buffer.from('not a zip at all'))).toBe('error: the bundle is invalid')
    expect(await assembled(zip([['manifest.json', '{"files": ']], { prefix: SYSB_HEADER }))).toBe('error: the bundle is invalid')
    expect(await assembled(zip([['files/a.js', 'x']], { prefix: SYSB_HEADER }))).toBe('error: the bundle is invalid')
    expect(await assembled(zip([['manifest.json', '{"files": ["a"]}']]))).toBe('error: the bundle is invalid')
    const noIds = FILES.map(f => ({ ...f, debugId: undefined, path: `${f.path}.2` }))
    expect(await assembled(sourceBundle(noIds))).toBe('error: uploading a bundle without debug ids or release is prohibited')
    // A release, from the request or else the manifest, is enough; an unparsable debug id counts as none.
    expect(await assembled(sourceBundle(noIds, {}, { deflate: false }), { version: '1.0' })).toBe('ok')
    expect(await assembled(sourceBundle(noIds, { release: '2.0' }))).toBe('ok')
    const badIds = noIds.map(f => ({ ...f, debugId: 'not-an-id' }))
    expect(await assembled(sourceBundle(badIds))).toBe('error: uploading a bundle without debug ids or release is prohibited')
    // A failed checksum keeps its error while the status lives.
    expect((await assemble({ ...body, checksum: sha1('other') })).body).toEqual({
      state: 'error',
      detail: 'Reported checksum mismatch',
      missingChunks: []
    })
  })

  test('a file over system.maximum-file-size; an empty bundle is ok and not stored', async () => {
    await start({ chunkUpload: { assembleMaxFileSize: 100 } })
    const data = sourceBundle(FILES)
    const tooBig = `^error: File bundle-artifacts-[0-9a-f]{32}\\.zip exceeds maximum size \\(${data.length} > 100\\)$`
    expect(await assembled(data)).toMatch(new RegExp(tooBig))
    await em.stop()
    await start()
    expect(await assembled(sourceBundle([]))).toBe('ok')
    expect(em.artifactBundles('acme')).toEqual([])
  })

  test('a dist without a release is a 400 after the status is set: that checksum then stays created', async () => {
    await start()
    const body = await uploaded(sourceBundle(FILES), { dist: 'd1' })
    expect(await assemble(body)).toMatchObject(error('You need to specify a release together with a dist'))
    await em.settle()
    expect((await assemble(body)).body).toEqual({ state: 'created', detail: null, missingChunks: [] })
  })
})

describe('bundle problems (accepted by Sentry, unusable by symbolic)', () => {
  const broken = (): Buffer =>
    zip([
      ['files/_/_/app.js', 'x'],
      [
        'manifest.json',
        JSON.stringify({
          org: 7,
          files: {
            'files/_/_/app.js': { type: 'minified_source', url: '~/app.js', headers: { 'Debug-Id': APP_ID, sourcemap: 1 } },
            'files/_/_/gone.js': { type: 'minified_source', url: '~/gone.js', headers: { 'debug-id': 'nope' } },
            'files/_/_/odd.js': { type: 'javascript', headers: {} }
          }
        })
      ]
    ])

  test('are recorded on the bundle and logged, while the upload is ok as on Sentry', async () => {
    await start()
    expect(await assembled(broken())).toBe('ok')
    expect(em.artifactBundles('acme')[0].problems).toEqual([
      'the file does not start with the SYSB header',
      'manifest.json: org is not a string',
      'files/_/_/app.js: header sourcemap is not a string',
      "files/_/_/gone.js: listed in manifest.json but There is no item named 'files/_/_/gone.js' in the archive",
      'files/_/_/gone.js: debug-id "nope" does not parse',
      "files/_/_/odd.js: listed in manifest.json but There is no item named 'files/_/_/odd.js' in the archive",
      'files/_/_/odd.js: no url',
      'files/_/_/odd.js: type "javascript" is not one of source, minified_source, source_map, indexed_ram_bundle'
    ])
    expect(await assembled(sourceBundle(FILES, {}, { absolute: false }))).toBe('ok')
    expect(em.artifactBundles('acme')[1].problems).toEqual([
      'zip offsets leave out the first 8 bytes (symbolic writes offsets from the file start)'
    ])
  })

  test('fail the task with strictBundles', async () => {
    await start({ strictBundles: true })
    expect(await assembled(sourceBundle(FILES, {}, { absolute: false }))).toBe(
      'error: emulator strict bundle check: zip offsets leave out the first 8 bytes (symbolic writes offsets from the file start)'
    )
    expect(await assembled(sourceBundle(FILES))).toBe('ok')
  })
})

test('a user token limited to one org cannot assemble in another', async () => {
  const seed = defaultSeed()
  seed.tokens.push({ token: 'globex-only', org: 'globex', scopes: ['org:ci'] })
  seed.orgs.push({ slug: 'globex', projects: [{ slug: 'web' }], repositories: [] })
  await start({ seed })
  expect((await call(em.url, 'POST', ASSEMBLE, {}, 'globex-only')).status).toBe(403)
})
