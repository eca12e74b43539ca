// Inputs, finding files (globs, ignore, URL prefixes) and pairing scripts with maps.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { findFiles } from '../../src/steps/sourcemaps/find-files.js'
import { directories } from '../../src/io/sourcemaps/local-files.js'
import { pairScripts } from '../../src/core/sourcemaps/pair.js'
import { readSourceMapSettings } from '../../src/core/sourcemaps/settings.js'
import { sourceMapSettingsWith } from '../helpers/source-map-step.js'

const read = (inputs: Record<string, string>) => readSourceMapSettings({ GITHUB_WORKSPACE: '/ws' }, name => inputs[name] ?? '')

describe('readSourceMapSettings', () => {
  test('off without sourcemaps; action-release defaults otherwise', () => {
    expect(read({})).toBeUndefined()
    expect(read({ sourcemaps: './dist ./public/js,extra\nmore' })).toEqual({
      paths: ['./dist', './public/js', 'extra', 'more'],
      baseDir: '/ws',
      mode: 'both',
      inject: true,
      dist: undefined,
      urlPrefixes: [{ prefix: '~/' }],
      stripPrefixes: [],
      stripCommonPrefix: false,
      ignore: [],
      strict: false,
      dryRun: false
    })
  })

  test('url_prefix: one prefix and path=prefix pairs, the deepest path first', () => {
    const settings = read({ sourcemaps: 'dist', url_prefix: 'app:/// dist=~/static dist/admin=~/admin', working_directory: 'web' })
    expect(settings?.urlPrefixes).toEqual([
      { root: '/ws/web/dist/admin', prefix: '~/admin' },
      { root: '/ws/web/dist', prefix: '~/static' },
      { prefix: 'app:///' }
    ])
  })

  test('modes: inject always injects, upload never does, both as `inject` says', () => {
    expect(read({ sourcemaps: 'd', sourcemaps_mode: 'inject' })?.inject).toBe(true)
    expect(read({ sourcemaps: 'd', sourcemaps_mode: 'upload' })?.inject).toBe(false)
    expect(read({ sourcemaps: 'd', sourcemaps_mode: 'Both', inject: 'false' })?.inject).toBe(false)
  })

  test.each([
    [{ sourcemaps_mode: 'push' }, "Input 'sourcemaps_mode': 'push' must be one of inject, upload, both"],
    [{ sourcemaps_mode: 'inject', inject: 'false' }, "Input 'inject': is false, but sourcemaps_mode 'inject' does nothing else"],
    [{ inject: 'yes' }, "Input 'inject': 'yes' must be true or false"],
    [{ dist: 'x'.repeat(65) }, "Input 'dist': must be at most 64 characters"],
    [{ dist: ' 1' }, "Input 'dist': must not start or end with spaces"],
    [{ url_prefix: 'dist=' }, "Input 'url_prefix': 'dist=' must be a prefix, or path=prefix"],
    [{ sourcemaps_strict: 'on' }, "Input 'sourcemaps_strict': 'on' must be true or false"]
  ])('%j fails naming the input', (inputs, message) => {
    expect(() => read({ sourcemaps: 'dist', ...inputs })).toThrow(message)
  })
})

describe('findFiles', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sra-find-'))
    const files = [
      'dist/web/app.js',
      'dist/web/app.js.map',
      'dist/web/chunks/c.mjs',
      'dist/web/chunks/c.mjs.map',
      'dist/web/style.css',
      'dist/admin/a.cjs',
      'dist/admin/node_modules/dep.js',
      'dist/admin/a.test.js',
      'dist/.hidden/h.js'
    ]
    for (const file of files) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
      await writeFile(path.join(dir, file), '')
    }
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  const find = async (overrides: Parameters<typeof sourceMapSettingsWith>[1]) => {
    const found = await findFiles(sourceMapSettingsWith(dir, overrides), directories)
    return { urls: found.files.map(file => `${file.kind} ${file.url}`), warnings: found.warnings }
  }

  test('a directory: every script and map below it, URLs relative to it, in path order', async () => {
    expect((await find({ paths: ['dist/web'] })).urls).toEqual([
      'script ~/app.js',
      'map ~/app.js.map',
      'script ~/chunks/c.mjs',
      'map ~/chunks/c.mjs.map'
    ])
  })

  test('ignore: a name at any depth, or a path from the base directory', async () => {
    const { urls } = await find({ paths: ['dist'], ignore: ['node_modules', '*.test.js', 'dist/web/chunks', '.hidden'] })
    expect(urls).toEqual(['script ~/admin/a.cjs', 'script ~/web/app.js', 'map ~/web/app.js.map'])
  })

  test('a glob: matched from the base directory, URLs relative to its plain leading folders', async () => {
    expect((await find({ paths: ['dist/**/*.{js,mjs}'], ignore: ['node_modules'] })).urls).toEqual([
      'script ~/.hidden/h.js',
      'script ~/admin/a.test.js',
      'script ~/web/app.js',
      'script ~/web/chunks/c.mjs'
    ])
    expect((await find({ paths: ['./dist/web/*.js*'] })).urls).toEqual(['script ~/app.js', 'map ~/app.js.map'])
  })

  test('a file on its own: URL relative to its folder; url_prefix pairs pick the prefix and the root by folder', async () => {
    expect((await find({ paths: ['dist/web/chunks/c.mjs'], urlPrefixes: [{ prefix: 'app:///' }] })).urls).toEqual(['script app:///c.mjs'])
    const urlPrefixes = [{ root: path.join(dir, 'dist/admin'), prefix: '~/admin/' }, { prefix: '~/static' }]
    expect((await find({ paths: ['dist/admin/a.cjs', 'dist/web'], urlPrefixes })).urls).toEqual([
      'script ~/admin/a.cjs',
      'script ~/static/app.js',
      'map ~/static/app.js.map',
      'script ~/static/chunks/c.mjs',
      'map ~/static/chunks/c.mjs.map'
    ])
  })

  test('entries that find nothing are warned about, each naming itself', async () => {
    const { urls, warnings } = await find({ paths: ['missing', 'dist/web/style.css', 'dist/web/app.js'] })
    expect(urls).toEqual(['script ~/app.js'])
    expect(warnings).toEqual([
      `sourcemaps: 'missing' does not exist (in ${dir})`,
      "sourcemaps: 'dist/web/style.css' has no .js, .mjs, .cjs or .map files"
    ])
  })
})

describe('pairScripts (sentry-cli collect_sourcemap_references)', () => {
  const pair = (scripts: Array<[string, string?]>, maps: string[]) =>
    Object.fromEntries(
      pairScripts(
        scripts.map(([file, reference]) => ({ path: file, reference })),
        maps
      )
    )

  test('the sourceMappingURL names a found map (relative, percent-encoded), or embeds it', () => {
    expect(
      pair(
        [
          ['/d/a.js', 'maps/a%20b.map'],
          ['/d/b.js', 'data:application/json;base64,e30=']
        ],
        ['/d/maps/a b.map']
      )
    ).toEqual({
      '/d/a.js': { kind: 'file', mapPath: '/d/maps/a b.map', reference: 'maps/a%20b.map' },
      '/d/b.js': { kind: 'embedded' }
    })
    const gone = pair([['/d/a.js', 'gone.map']], [])['/d/a.js']
    expect(gone).toEqual({ kind: 'none', note: 'its sourceMappingURL gone.map is not among the files found' })
  })

  test('without one (or a remote one), a map named like the script: foo.map, foo.min.js.map, foo.js.map, foo.min.map', () => {
    const first = pair([['/d/x.min.js']], ['/d/x.map', '/d/x.min.js.map'])['/d/x.min.js']
    expect(first).toEqual({ kind: 'file', mapPath: '/d/x.map', reference: 'x.map' })
    expect(pair([['/d/x.min.js', 'https://cdn/x.map']], ['/d/x.js.map'])['/d/x.min.js']).toMatchObject({ reference: 'x.js.map' })
    expect(pair([['/d/x.min.js']], ['/d/x.min.map'])['/d/x.min.js']).toMatchObject({ reference: 'x.min.map' })
    expect(pair([['/d/x.js']], ['/e/x.js.map'])['/d/x.js']).toEqual({ kind: 'none' })
  })

  test('a guessed map named by another script, or guessed by two, pairs with none of the guessers', () => {
    const named = pair([['/d/a.js', 'shared.js.map'], ['/d/shared.js']], ['/d/shared.js.map'])
    expect(named['/d/shared.js']).toEqual({ kind: 'none', note: 'shared.js.map belongs to a.js, whose sourceMappingURL names it' })
    const twice = pair([['/d/x.js'], ['/d/x.min.js']], ['/d/x.map'])
    expect(Object.values(twice).map(pairing => pairing.kind)).toEqual(['none', 'none'])
  })
})
