// The artifact bundle as Python's zipfile (what Sentry's ArtifactBundleArchive opens it with) reads it, the map
// rewrites for upload, and the chunked upload's decisions.
import { afterEach, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { SentryError } from '../../src/core/sentry-errors.js'
import {
  ArtifactBundleWriter,
  type BundleAttributes,
  type BundleFile,
  prepareBundleFile,
  urlToBundlePath
} from '../../src/steps/sourcemaps/artifact-bundle.js'
import { batchChunks, chunkBundle, type Chunk } from '../../src/steps/sourcemaps/chunks.js'
import { commonSourcePrefix, stripSourcePrefixes } from '../../src/core/sourcemaps/source-map.js'
import { createTempBundleFile } from '../../src/io/sourcemaps/temp-file.js'
import type { TempBundleFile } from '../../src/steps/sourcemaps/ports.js'
import {
  assembleRequest,
  chunkUploadUrl,
  readChunkUploadOptions,
  uploadBundle,
  type ChunkUploadOptions,
  type UploadPorts
} from '../../src/steps/sourcemaps/upload.js'

const run = promisify(execFile)
const files: TempBundleFile[] = []
afterEach(async () => {
  await Promise.all(files.splice(0).map(file => file.remove()))
})

const ID = 'aaaaaaaa-bbbb-5ccc-8ddd-eeeeeeeeeeee'
const sample: BundleFile[] = [
  {
    url: '~/app.js',
    type: 'minified_source',
    headers: { 'debug-id': ID, Sourcemap: 'app.js.map' },
    bytes: Buffer.from('a();\n'.repeat(500))
  },
  { url: '~/app.js.map', type: 'source_map', headers: { 'debug-id': ID }, bytes: Buffer.from('{"version":3,"mappings":""}') },
  { url: '~/app.js', type: 'minified_source', headers: {}, bytes: Buffer.from('duplicate url\n') },
  { url: 'app:///ünï.js', type: 'minified_source', headers: {}, bytes: Buffer.from('') }
]

const ATTRIBUTES: BundleAttributes = { org: 'acme', projects: ['web'], release: '1.0', dist: 'd1' }

async function writeBundle(sampleFiles: BundleFile[], attributes = ATTRIBUTES) {
  const file = await createTempBundleFile({})
  files.push(file)
  const writer = new ArtifactBundleWriter(file, attributes)
  for (const entry of sampleFiles) await writer.add(prepareBundleFile(entry))
  const id = await writer.finish()
  return { id, bytes: await file.read(0, file.size()), file }
}

const PYTHON_READ = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({
  "head": open(sys.argv[1], "rb").read(8).hex(),
  "entries": [[i.filename, list(i.date_time), i.compress_type, i.create_system, i.external_attr >> 16, i.header_offset]
              for i in z.infolist()],
  "manifest": json.loads(z.read("manifest.json")),
  "app": z.read("files/_/_/app.js").decode(),
  "test": z.testzip()
}))
`

describe('artifact bundle', () => {
  test("Python's zipfile reads it: SYSB v2 header, absolute offsets, 1980 timestamps, deflate, manifest last", async () => {
    const { id, file } = await writeBundle(sample)
    const { stdout } = await run('python3', ['-c', PYTHON_READ, file.path])
    const read = JSON.parse(stdout)
    expect(read.head).toBe('5359534202000000')
    expect(read.test).toBeNull()
    expect(read.entries.map((entry: unknown[]) => entry[0])).toEqual([
      'files/_/_/app.js',
      'files/_/_/app.js.map',
      'files/_/_/app.js.1',
      'files/app/_/%C3%BCn%C3%AF.js',
      'manifest.json'
    ])
    expect(read.entries[0]).toEqual(['files/_/_/app.js', [1980, 1, 1, 0, 0, 0], 8, 3, 0o100644, 8])
    expect(read.app).toBe('a();\n'.repeat(500))
    expect(read.manifest).toEqual({
      files: {
        'files/_/_/app.js': { type: 'minified_source', url: '~/app.js', headers: { 'debug-id': ID, sourcemap: 'app.js.map' } },
        'files/_/_/app.js.1': { type: 'minified_source', url: '~/app.js' },
        'files/_/_/app.js.map': { type: 'source_map', url: '~/app.js.map', headers: { 'debug-id': ID } },
        'files/app/_/%C3%BCn%C3%AF.js': { type: 'minified_source', url: 'app:///ünï.js' }
      },
      debug_id: id,
      dist: 'd1',
      org: 'acme',
      project: 'web',
      release: '1.0'
    })
  })

  test('deterministic: the same files give the same bytes and ID; other files another ID', async () => {
    const first = await writeBundle(sample)
    const second = await writeBundle(sample)
    expect(second.bytes.equals(first.bytes)).toBe(true)
    const changed = await writeBundle([{ ...sample[0], bytes: Buffer.from('b();\n') }, ...sample.slice(1)])
    expect(changed.id).not.toBe(first.id)
  })

  test('project only for one project, dist only with a release (Sentry refuses a dist alone)', async () => {
    const { file } = await writeBundle(sample.slice(0, 1), { org: 'acme', projects: ['web', 'api'], release: undefined, dist: 'd1' })
    const manifest = 'import json,sys,zipfile; print(json.dumps(json.loads(zipfile.ZipFile(sys.argv[1]).read("manifest.json"))))'
    const { stdout } = await run('python3', ['-c', manifest, file.path])
    expect(Object.keys(JSON.parse(stdout))).toEqual(['files', 'debug_id', 'org'])
  })

  test.each([
    ['~/bar', '_/_/bar'],
    ['~/dist/js/bundle.js.map', '_/_/dist/js/bundle.js.map'],
    ['~/#/bar', '_/_/#/bar'],
    ['~/dist/#js/bundle.js.map', '_/_/dist/#js/bundle.js.map'],
    ['https://cdn.example.com/a/b.js', 'https/cdn.example.com/a/b.js'],
    ['app:///main.js', 'app/_/main.js'],
    ['~/a b.js', '_/_/a%20b.js']
  ])('url_to_bundle_path(%j) = %j (sentry-cli source_bundle.rs tests)', (url, bundlePath) => {
    expect(urlToBundlePath(url)).toBe(bundlePath)
  })

  test('chunks: SHA-1 of each slice and of the whole file', async () => {
    const { bytes, file } = await writeBundle(sample)
    const chunked = await chunkBundle(file.read, file.size(), 1000)
    const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('hex')
    expect(chunked.checksum).toBe(sha1(bytes))
    const slices = chunked.chunks.map(chunk => bytes.subarray(chunk.offset, chunk.offset + chunk.size))
    expect(chunked.chunks.map(chunk => chunk.sha1)).toEqual(slices.map(sha1))
    expect(chunked.chunks.reduce((sum, chunk) => sum + chunk.size, 0)).toBe(bytes.length)
  })
})

describe('map rewrites for the upload (rust-sourcemap strip_prefixes, find_common_prefix)', () => {
  test('strip_prefix removes the first matching prefix + "/"; strip_common_prefix the shared absolute directory', () => {
    const map = { version: 3, sources: ['../src/a.ts', 'webpack://app/./b.ts', '../srcx/c.ts', null], mappings: '' }
    expect(stripSourcePrefixes(map, ['..', 'webpack://app'], false).sources).toEqual(['src/a.ts', './b.ts', 'srcx/c.ts', null])
    expect(stripSourcePrefixes(map, [], false)).toBe(map)
    const absolute = { version: 3, sources: ['/home/ci/app/src/a.ts', '/home/ci/app/lib/b.ts', 'rel.ts'], mappings: '' }
    expect(stripSourcePrefixes(absolute, [], true).sources).toEqual(['src/a.ts', 'lib/b.ts', 'rel.ts'])
  })

  test.each([
    [['/foo/bar/baz', '/foo/bar/baz/blah'], '/foo/bar/baz'],
    [['/foo/bar/baz', '/foo/bar/baz/blah', '/meh'], undefined],
    [['/foo/bar/baz', '/foo/bar/baz/blah', '/foo'], '/foo'],
    [['/foo/bar/baz', '/foo/bar/baz/blah', 'foo'], '/foo/bar/baz'],
    [['/foo/bar/baz', '/foo/bar/baz/blah', '/blah', 'foo'], undefined]
  ])('common prefix of %j is %j (rust-sourcemap test_find_common_prefix)', (sources, prefix) => {
    expect(commonSourcePrefix(sources)).toBe(prefix)
  })
})

describe('chunked upload', () => {
  const options: ChunkUploadOptions = {
    url: 'organizations/acme/chunk-upload/',
    chunkSize: 4,
    chunksPerRequest: 64,
    maxRequestSize: 32,
    concurrency: 8,
    maxWait: 0,
    gzip: true
  }
  const chunks = (n: number, size = 4): Chunk[] =>
    Array.from({ length: n }, (_, i) => ({ sha1: `${i}`.padStart(40, '0'), offset: i * size, size }))

  test('options: the fields the upload needs, a named one when missing; relative URLs under the API root', () => {
    const answer = { url: 'x/', chunkSize: 8, chunksPerRequest: 64, maxRequestSize: 9, concurrency: 8, compression: ['gzip'], maxWait: 60 }
    expect(readChunkUploadOptions(answer)).toEqual({
      url: 'x/',
      chunkSize: 8,
      chunksPerRequest: 64,
      maxRequestSize: 9,
      concurrency: 8,
      maxWait: 60,
      gzip: true
    })
    expect(() => readChunkUploadOptions({ url: 'x/', chunkSize: 0 })).toThrow(
      "Sentry's chunk-upload options lack a positive chunkSize (got 0)"
    )
    expect(() => readChunkUploadOptions('<html>')).toThrow('without a JSON object')
    const path = 'organizations/acme/chunk-upload/'
    expect(chunkUploadUrl('https://s.example/sub', path)).toBe(`https://s.example/sub/api/0/${path}`)
    expect(chunkUploadUrl('https://s.example', `/api/0/${path}`)).toBe(`https://s.example/api/0/${path}`)
    expect(chunkUploadUrl('https://s.example', 'https://us.s.example/api/0/x/')).toBe('https://us.s.example/api/0/x/')
  })

  test('batches: spread over the concurrency, within chunksPerRequest and maxRequestSize, each chunk once', () => {
    const sizes = (list: Chunk[], chunksPerRequest: number, maxRequestSize: number, concurrency: number) =>
      batchChunks(list, { chunksPerRequest, maxRequestSize, concurrency }).map(batch => batch.length)
    expect(sizes(chunks(4), 64, 100, 8)).toEqual([1, 1, 1, 1])
    expect(sizes(chunks(20), 3, 100, 2)).toEqual([3, 3, 3, 3, 3, 3, 2])
    expect(sizes(chunks(20), 64, 8, 2)).toEqual(Array(10).fill(2))
    expect(batchChunks([...chunks(2), ...chunks(2)], { chunksPerRequest: 64, maxRequestSize: 100, concurrency: 1 })).toEqual([chunks(2)])
  })

  test('assemble names release and dist only together; a dist without a release is left out', () => {
    const bundle = { checksum: 'c'.repeat(40), size: 8, chunks: chunks(2) }
    expect(assembleRequest({ org: 'a b', projects: ['web'], release: '1.0', dist: 'd' }, bundle)).toEqual({
      method: 'POST',
      path: 'organizations/a%20b/artifactbundle/assemble/',
      body: { checksum: bundle.checksum, chunks: bundle.chunks.map(chunk => chunk.sha1), projects: ['web'], version: '1.0', dist: 'd' }
    })
    expect(assembleRequest({ org: 'a', projects: ['web'], dist: 'd' }, bundle).body).not.toHaveProperty('dist')
  })

  /** A scripted Sentry: assemble answers in order; chunk posts recorded. */
  function scripted(answers: unknown[]) {
    const sent: string[] = []
    let clock = 0
    const ports: UploadPorts = {
      send: async request => {
        sent.push(`${request.method} ${request.path}`)
        const answer = answers.shift()
        if (answer instanceof Error) throw answer
        return answer
      },
      postChunks: async (url, _body, contentType, what) => void sent.push(`chunks ${url} ${what} ${contentType.split(';')[0]}`),
      read: async (offset, length) => Buffer.alloc(length, offset),
      sleep: async ms => void (clock += ms),
      now: () => clock,
      info: () => undefined
    }
    return { ports, sent }
  }
  const bundle = { checksum: 'c'.repeat(40), size: 8, chunks: chunks(2) }
  const ASSEMBLE = 'POST organizations/acme/artifactbundle/assemble/'
  const target = { org: 'acme', projects: ['web'], release: '1.0' }

  test('sends only the missing chunks, then polls until ok', async () => {
    const { ports, sent } = scripted([
      { state: 'not_found', missingChunks: [bundle.chunks[1].sha1] },
      { state: 'created', missingChunks: [] },
      { state: 'assembling', missingChunks: [] },
      { state: 'ok', missingChunks: [] }
    ])
    const result = await uploadBundle(target, bundle, options, 'https://s/api/0/up/', ports)
    expect(result).toEqual({ chunksSent: 1, bytesSent: 4, state: 'ok' })
    expect(sent).toEqual([
      ASSEMBLE,
      `chunks https://s/api/0/up/ 1 chunk (0.0 MiB, ${bundle.chunks[1].sha1}) multipart/form-data`,
      ASSEMBLE,
      ASSEMBLE,
      ASSEMBLE
    ])
  })

  test.each([
    [[{ state: 'error', detail: 'Invalid debug id' }], 'Sentry could not assemble the artifact bundle cccc'],
    [[{ state: 'not_found', missingChunks: ['f'.repeat(40)] }], 'Sentry asked for chunks that are not part of the bundle: ffff'],
    [Array(2).fill({ state: 'not_found', missingChunks: [chunks(1)[0].sha1] }), 'Sentry still lacks 1 chunk of bundle'],
    [[{ detail: 'nope' }], 'Sentry answered assemble without a state'],
    [[new SentryError(400, 'Sentry answered 400 to POST /api/0/x: error: One or more projects are invalid')], "invalid (check 'projects')"]
  ])('fails in one line: %j', async (answers, message) => {
    const { ports } = scripted(answers)
    await expect(uploadBundle(target, bundle, options, 'u', ports)).rejects.toThrow(message)
  })

  test("stops waiting after Sentry's maxWait (else 5 minutes)", async () => {
    const { ports } = scripted(Array.from({ length: 100 }, () => ({ state: 'assembling', missingChunks: [] })))
    await expect(uploadBundle(target, bundle, { ...options, maxWait: 10 }, 'u', ports)).rejects.toThrow(
      'Sentry did not finish assembling the artifact bundle within 10 s (last state: assembling)'
    )
  })
})
