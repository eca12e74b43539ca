// Injection into a real esbuild build: every script registers its debug ID when loaded, every map still resolves
// each generated position to the same original one, and a second run changes nothing.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { SourceMapConsumer } from 'source-map-js'
import { debugIdSnippet } from '../../src/core/sourcemaps/inject.js'
import { decodeDataUrl } from '../../src/core/sourcemaps/embedded-map.js'
import { sourceMappingUrl } from '../../src/core/sourcemaps/script-comments.js'
import { runSourceMapStep } from '../../src/steps/sourcemaps/step.js'
import type { SourceMapOutcome } from '../../src/core/sourcemaps/outcome.js'
import { BUILT, buildApp, type BuiltApp } from '../../harness/bundler-fixture.js'
import { localStepPorts, sourceMapSettingsWith } from '../helpers/source-map-step.js'

const run = promisify(execFile)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

let pristine: BuiltApp
let injected: BuiltApp
let outcome: SourceMapOutcome
beforeAll(async () => {
  pristine = await buildApp()
  // Node loads .js files of dist/assets as ES modules, as a browser would.
  await writeFile(path.join(pristine.dist, 'assets/package.json'), '{"type":"module"}')
  injected = await pristine.copy()
  outcome = await runSourceMapStep(sourceMapSettingsWith(injected.workspace), undefined, localStepPorts())
}, 60_000)
afterAll(() => pristine.remove())

const idOf = (name: string): string | undefined => outcome.files.find(file => file.path === injected.file(name))?.debugId
const text = async (app: BuiltApp, name: string): Promise<string> => readFile(app.file(name), 'utf8')

describe('inject into an esbuild build', () => {
  test('every script and its map get one debug ID: at the start with a map, at the end without', () => {
    const scripts = outcome.files.filter(file => file.kind === 'script')
    expect(scripts.map(file => path.relative(injected.dist, file.path)).sort()).toEqual(Object.values(BUILT).sort())
    for (const script of scripts) expect(script.debugId).toMatch(UUID)
    expect(new Set(scripts.map(script => script.debugId)).size).toBe(scripts.length)
    const changes = Object.fromEntries(scripts.map(file => [path.relative(injected.dist, file.path), file.change]))
    expect(changes).toEqual({
      [BUILT.app]: 'injected-at-start',
      [BUILT.cli]: 'injected-at-start',
      [BUILT.client]: 'injected-at-start',
      [BUILT.inline]: 'injected-at-start',
      [BUILT.named]: 'injected-at-start',
      [BUILT.nomap]: 'injected-at-end'
    })
    const maps = outcome.files.filter(file => file.kind === 'map')
    for (const map of maps) expect(map.debugId).toBe(idOf(path.relative(injected.dist, map.path).replace(/\.map$/, '')))
    expect(scripts.find(file => file.path === injected.file(BUILT.named))?.sourceMap).toBe('named.js.map')
  })

  test('loading each injected script in Node puts its debug ID in globalThis._sentryDebugIds, keyed by a stack naming it', async () => {
    for (const name of Object.values(BUILT)) {
      const file = injected.file(name)
      const probe =
        'import(require("url").pathToFileURL(process.argv[1]).href).then(() => ' +
        'process.stdout.write("\\nIDS " + JSON.stringify(globalThis._sentryDebugIds)))'
      const { stdout } = await run(process.execPath, ['-e', probe, file])
      const ids = JSON.parse(stdout.split('\nIDS ')[1]) as Record<string, string>
      const entries = Object.entries(ids)
      expect({ name, values: entries.map(([, id]) => id) }).toEqual({ name, values: [idOf(name)] })
      expect(entries[0][0]).toContain(path.basename(file))
    }
  })

  test('the snippet is the new first line: after the hashbang, with "use strict" / "use client" repeated before it', async () => {
    const cli = await text(injected, BUILT.cli)
    const lines = cli.split('\n')
    expect(lines[0]).toBe('#!/usr/bin/env node')
    expect(lines[1]).toBe(`"use strict";${debugIdSnippet(idOf(BUILT.cli) ?? '')}`)
    const afterHashbang = (await text(pristine, BUILT.cli)).split('\n').slice(1).join('\n')
    expect(lines.slice(2).join('\n')).toBe(`${afterHashbang}//# debugId=${idOf(BUILT.cli)}\n`)
    const client = (await text(injected, BUILT.client)).split('\n')
    expect(client[0]).toBe(`"use client";${debugIdSnippet(idOf(BUILT.client) ?? '')}`)
    expect(client[1].startsWith('"use client";')).toBe(true)
    const app = await text(injected, BUILT.app)
    expect(app).toBe(`${debugIdSnippet(idOf(BUILT.app) ?? '')}\n${await text(pristine, BUILT.app)}//# debugId=${idOf(BUILT.app)}\n`)
    const nomap = await text(injected, BUILT.nomap)
    expect(nomap).toBe(`${await text(pristine, BUILT.nomap)}${debugIdSnippet(idOf(BUILT.nomap) ?? '')}\n//# debugId=${idOf(BUILT.nomap)}\n`)
  })

  test('the injected "use client" file is still a client module: its directive is the first statement', async () => {
    const client = await text(injected, BUILT.client)
    expect(client.startsWith('"use client";')).toBe(true)
  })

  test('each map resolves every generated position, moved one line down, to the same original position', async () => {
    for (const name of [BUILT.app, BUILT.cli, BUILT.client, BUILT.inline, BUILT.named]) {
      const before = await readMap(pristine, name)
      const after = await readMap(injected, name)
      expect(after.raw.debugId).toBe(idOf(name))
      expect(after.raw.debug_id).toBe(idOf(name))
      const insertedAt = name === BUILT.cli ? 1 : 0
      const oldLines = (await text(pristine, name)).split('\n')
      const newLines = (await text(injected, name)).split('\n')
      let checked = 0
      before.consumer.eachMapping(mapping => {
        const line = mapping.generatedLine >= insertedAt + 1 ? mapping.generatedLine + 1 : mapping.generatedLine
        const resolved = after.consumer.originalPositionFor({ line, column: mapping.generatedColumn })
        expect(resolved).toMatchObject({ source: mapping.source, line: mapping.originalLine, column: mapping.originalColumn })
        // The same code is at the moved position.
        expect(newLines[line - 1].slice(mapping.generatedColumn, mapping.generatedColumn + 8)).toBe(
          oldLines[mapping.generatedLine - 1].slice(mapping.generatedColumn, mapping.generatedColumn + 8)
        )
        checked++
      })
      expect(checked).toBeGreaterThan(5)
      // The snippet line maps to nothing.
      expect(after.consumer.originalPositionFor({ line: insertedAt + 1, column: 5 }).source).toBeNull()
    }
  })

  test('the error thrown in util.ts resolves through the injected map to its line in the source', async () => {
    const app = await text(injected, BUILT.app)
    const lines = app.split('\n')
    const line = lines.findIndex(candidate => candidate.includes('throw new Error'))
    const column = lines[line].indexOf('throw new Error')
    const { consumer } = await readMap(injected, BUILT.app)
    expect(consumer.originalPositionFor({ line: line + 1, column })).toMatchObject({ source: '../../src/util.ts', line: 3 })
  })

  test('a second run changes no byte and reports every script as already injected', async () => {
    const first = await injected.snapshot()
    const again = await runSourceMapStep(sourceMapSettingsWith(injected.workspace), undefined, localStepPorts())
    expect(await injected.snapshot()).toEqual(first)
    expect(again.files.filter(file => file.kind === 'script').every(file => file.change === 'kept')).toBe(true)
    expect(again.files.map(file => file.debugId)).toEqual(outcome.files.map(file => file.debugId))
  })

  test('a dry run lists the same debug IDs and changes no file', async () => {
    const copy = await pristine.copy()
    const before = await copy.snapshot()
    const dry = await runSourceMapStep(sourceMapSettingsWith(copy.workspace, { dryRun: true }), undefined, localStepPorts())
    expect(await copy.snapshot()).toEqual(before)
    expect(dry.files.map(file => file.debugId)).toEqual(outcome.files.map(file => file.debugId))
  })
})

async function readMap(app: BuiltApp, name: string): Promise<{ raw: Record<string, unknown>; consumer: SourceMapConsumer }> {
  const script = await text(app, name)
  const reference = sourceMappingUrl(script)?.value
  const json = reference?.startsWith('data:')
    ? (decodeDataUrl(reference)?.text ?? '')
    : await readFile(path.join(path.dirname(app.file(name)), reference ?? `${path.basename(name)}.map`), 'utf8')
  const raw = JSON.parse(json) as Record<string, unknown>
  return { raw, consumer: new SourceMapConsumer(raw as never) }
}
