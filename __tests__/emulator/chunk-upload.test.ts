// GET / POST organizations/{org}/chunk-upload/: the options Sentry sends and the chunk POST with its limits and 400s.
import { afterEach, describe, expect, test } from '@jest/globals'
import { gzipSync } from 'node:zlib'
import { defaultSeed, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js'
import { call } from './client.js'
import { ASSEMBLE, CHUNK_UPLOAD, chunk, chunkParts, send, sha1, uploadParts } from './uploads.js'

let em: Emulator
afterEach(async () => {
  await em.stop()
})

const start = async (options: EmulatorOptions = {}): Promise<Emulator> => (em = await startEmulator(options))
const optionsAs = (userAgent: string) => send(em.url, 'GET', CHUNK_UPLOAD, undefined, { 'User-Agent': userAgent })
/** The chunks the org lacks, as the assemble endpoint reports them. */
async function missing(checksums: string[]): Promise<unknown> {
  const answer = await call(em.url, 'POST', ASSEMBLE, { checksum: sha1('x'), chunks: checksums, projects: ['web'] })
  return (answer.body as { missingChunks: string[] }).missingChunks
}

describe('chunk-upload options', () => {
  test("Sentry's options: an absolute url for other clients, MAX_* limits, sha1, gzip, the accept list", async () => {
    await start()
    expect(await optionsAs('sentry-release-action/1.0')).toMatchObject({
      status: 200,
      body: {
        url: `${em.url}/api/0/organizations/acme/chunk-upload/`,
        chunkSize: 8388608,
        chunksPerRequest: 64,
        maxFileSize: 4294967296,
        maxRequestSize: 33554432,
        concurrency: 8,
        hashAlgorithm: 'sha1',
        compression: ['gzip'],
        accept: [
          'debug_files',
          'release_files',
          'pdbs',
          'sources',
          'bcsymbolmaps',
          'il2cpp',
          'portablepdbs',
          'artifact_bundles',
          'artifact_bundles_v2',
          'proguard',
          'preprod_artifacts',
          'dartsymbolmap'
        ]
      }
    })
    expect(Object.keys((await optionsAs('x')).body as object)).toEqual([
      'url',
      'chunkSize',
      'chunksPerRequest',
      'maxFileSize',
      'maxRequestSize',
      'concurrency',
      'hashAlgorithm',
      'compression',
      'accept'
    ])
  })

  test('the url is relative for sentry-cli 1.70.1 up to 2.29.x, absolute before and after', async () => {
    await start()
    const urlFor = async (ua: string) => ((await optionsAs(ua)).body as { url: string }).url
    const absolute = `${em.url}/api/0/organizations/acme/chunk-upload/`
    expect(await urlFor('sentry-cli/1.70.0')).toBe(absolute)
    expect(await urlFor('sentry-cli/1.70.1')).toBe('organizations/acme/chunk-upload/')
    expect(await urlFor('sentry-cli/2.29.9 linux')).toBe('organizations/acme/chunk-upload/')
    expect(await urlFor('sentry-cli/2.30.0')).toBe(absolute)
    expect(await urlFor('sentry-cli/3.8.0')).toBe(absolute)
  })

  test('settings: an upload url prefix, no compression, smaller chunks', async () => {
    await start({ chunkUpload: { uploadUrlPrefix: 'http://127.0.0.1:9/', compression: [], chunkSize: 1024 } })
    expect((await optionsAs('sentry-cli/2.0.0')).body).toMatchObject({
      url: 'http://127.0.0.1:9/api/0/organizations/acme/chunk-upload/',
      compression: [],
      chunkSize: 1024
    })
  })

  test("scopes are the release permission's: org:ci reads and uploads, project:read only reads", async () => {
    const seed = defaultSeed()
    seed.tokens.push({ token: 'reader', scopes: ['project:read'] }, { token: 'other', scopes: ['org:read'] })
    await start({ seed })
    expect((await call(em.url, 'GET', CHUNK_UPLOAD, undefined, 'reader')).status).toBe(200)
    expect(await call(em.url, 'POST', CHUNK_UPLOAD, undefined, 'reader')).toMatchObject({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' }
    })
    expect((await call(em.url, 'GET', CHUNK_UPLOAD, undefined, 'other')).status).toBe(403)
    expect((await call(em.url, 'GET', CHUNK_UPLOAD, undefined, null)).status).toBe(401)
    expect((await call(em.url, 'GET', '/api/0/organizations/nope/chunk-upload/')).status).toBe(404)
  })
})

describe('chunk POST', () => {
  const data = Buffer.from('0123456789abcdefghij'.repeat(10))
  const { chunks } = chunk(data, 64)
  const checksums = chunks.map(c => c.checksum)

  test('file parts are stored under their SHA-1; an empty request is fine', async () => {
    await start()
    expect(await missing(checksums)).toEqual(checksums)
    expect(await uploadParts(em.url, chunkParts(chunks))).toEqual({ status: 200, body: null, headers: expect.anything() })
    expect(await missing(checksums)).toEqual([])
    expect((await send(em.url, 'POST', CHUNK_UPLOAD, '')).status).toBe(200)
    expect((await uploadParts(em.url, [{ name: 'other', filename: 'x', data: 'x' }])).status).toBe(200)
  })

  test("file_gzip parts are gunzipped (sentry-cli's way); so are file parts under Content-Encoding: gzip", async () => {
    await start()
    expect((await uploadParts(em.url, chunkParts(chunks.slice(0, 2), true))).status).toBe(200)
    expect(await missing(checksums)).toEqual(checksums.slice(2))
    const gzipped = chunks.slice(2).map(c => ({ name: 'file', filename: c.checksum, data: gzipSync(c.data) }))
    expect((await uploadParts(em.url, gzipped, { 'Content-Encoding': 'gzip' })).status).toBe(200)
    expect(await missing(checksums)).toEqual([])
  })

  test('another Content-Encoding, or one mixed with file_gzip, is a 400', async () => {
    await start()
    expect(await uploadParts(em.url, chunkParts(chunks), { 'Content-Encoding': 'br' })).toMatchObject({
      status: 400,
      body: { error: 'Unsupported Content-Encoding' }
    })
    expect(await uploadParts(em.url, chunkParts(chunks, true), { 'Content-Encoding': 'gzip' })).toMatchObject({
      status: 400,
      body: { error: 'Cannot combine Content-Encoding with file_gzip field' }
    })
  })

  test('limits: too many chunks, a chunk too large (also once gunzipped), a request too large', async () => {
    await start({ chunkUpload: { chunksPerRequest: 3, chunkSize: 64, maxRequestSize: 150 } })
    const error = (message: string) => ({ status: 400, body: { error: message } })
    expect(await uploadParts(em.url, chunkParts(chunks))).toMatchObject(error('Too many chunks'))
    const big = Buffer.alloc(65, 'a')
    expect(await uploadParts(em.url, chunkParts([{ checksum: sha1(big), data: big }]))).toMatchObject(error('Chunk size too large'))
    expect(await uploadParts(em.url, chunkParts([{ checksum: sha1(big), data: big }], true))).toMatchObject(error('Chunk size too large'))
    expect(await uploadParts(em.url, chunkParts(chunks.slice(0, 3)))).toMatchObject(error('Request too large'))
    expect(await missing(checksums)).toEqual(checksums)
    expect((await uploadParts(em.url, chunkParts(chunks.slice(0, 2)))).status).toBe(200)
  })

  test('a chunk whose SHA-1 is not its name: 400 Checksum mismatch, the chunks before it kept', async () => {
    await start()
    const parts = chunkParts(chunks.slice(0, 2))
    parts.push({ name: 'file', filename: sha1('something else'), data: 'not it' }, ...chunkParts(chunks.slice(2)))
    expect(await uploadParts(em.url, parts)).toMatchObject({ status: 400, body: { error: 'Checksum mismatch' } })
    expect(await missing(checksums)).toEqual(checksums.slice(2))
    const upper = [{ name: 'file', filename: checksums[2].toUpperCase(), data: chunks[2].data }]
    expect(await uploadParts(em.url, upper)).toMatchObject({ status: 400, body: { error: 'Checksum mismatch' } })
  })

  test('malformed bodies answer as Django and DRF do', async () => {
    await start()
    expect(await send(em.url, 'POST', CHUNK_UPLOAD, 'x', { 'Content-Type': 'multipart/form-data' })).toMatchObject({
      status: 400,
      body: { detail: 'Multipart form parse error - Invalid boundary in multipart: None' }
    })
    expect(await send(em.url, 'POST', CHUNK_UPLOAD, 'x', { 'Content-Type': 'text/plain' })).toMatchObject({
      status: 415,
      body: { detail: 'Unsupported media type "text/plain" in request.' }
    })
    const broken = [{ name: 'file_gzip', filename: checksums[0], data: 'not gzip' }]
    expect(await uploadParts(em.url, broken)).toMatchObject({ status: 500, body: { detail: 'Internal Error' } })
  })

  test('the request log shows the parts, not the bytes', async () => {
    await start()
    await uploadParts(em.url, chunkParts(chunks.slice(0, 1), true))
    expect(em.requests[0].body).toEqual({ multipart: [{ name: 'file_gzip', filename: checksums[0], size: expect.any(Number) }] })
  })
})
