// A small app built by a real bundler (esbuild) in a temp folder: the shapes of built files the source maps step
// meets in the wild, each minified with a map unless said otherwise.
import { build } from 'esbuild'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'

const SOURCES: Record<string, string> = {
  'util.ts': [
    'export const add = (a: number, b: number): number => a + b',
    'export function fail(message: string): never {',
    '  throw new Error(message)',
    '}',
    ''
  ].join('\n'),
  'app.ts': [
    'import { add, fail } from "./util"',
    'export function total(items: number[]): number {',
    '  if (items.length === 0) fail("empty cart")',
    '  return items.reduce(add, 0)',
    '}',
    'console.log("total", total([1, 2, 3]))',
    ''
  ].join('\n'),
  'cli.ts': [
    '"use strict";',
    'import { add, fail } from "./util"',
    'console.log("sum", add(2, 3))',
    'if (process.argv[2] === "fail") fail("cli failed")',
    ''
  ].join('\n'),
  'client.ts': [
    '"use client";',
    'import { add } from "./util"',
    'export function Button(): number {',
    '  return add(40, 2)',
    '}',
    'console.log("button", Button())',
    ''
  ].join('\n')
}

/** The built files, by name, relative to `dir`. */
export const BUILT = {
  /** ESM, external map named by sourceMappingURL. */
  app: 'assets/app.js',
  /** CommonJS with a hashbang and "use strict", external map. */
  cli: 'bin/cli.cjs',
  /** ESM starting with "use client", external map. */
  client: 'assets/client.mjs',
  /** The map embedded as a data: URL. */
  inline: 'assets/inline.js',
  /** No map at all. */
  nomap: 'assets/nomap.js',
  /** A map written next to it, but no sourceMappingURL comment: paired by name. */
  named: 'assets/named.js'
} as const

export interface BuiltApp {
  /** The workspace: src/ holds the sources, dist/ the build. */
  workspace: string
  /** Absolute path of the build output folder (workspace/dist). */
  dist: string
  /** Absolute path of a built file (BUILT value). */
  file(name: string): string
  /** A copy of the whole workspace in a new temp folder (removed with this one's remove()). */
  copy(): Promise<BuiltApp>
  /** Every file below dist, name -> bytes. */
  snapshot(): Promise<Map<string, Buffer>>
  remove(): Promise<void>
}

export async function buildApp(): Promise<BuiltApp> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'sra-build-'))
  await mkdir(path.join(workspace, 'src'))
  for (const [name, text] of Object.entries(SOURCES)) await writeFile(path.join(workspace, 'src', name), text)
  const dist = path.join(workspace, 'dist')
  const common = { bundle: true, minify: true, write: true, logLevel: 'silent' as const, absWorkingDir: workspace }
  const entry = (name: string): string[] => [path.join(workspace, 'src', name)]
  await build({ ...common, entryPoints: entry('app.ts'), format: 'esm', sourcemap: true, outfile: path.join(dist, BUILT.app) })
  await build({
    ...common,
    entryPoints: entry('cli.ts'),
    format: 'cjs',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    sourcemap: true,
    outfile: path.join(dist, BUILT.cli)
  })
  await build({ ...common, entryPoints: entry('client.ts'), format: 'esm', sourcemap: true, outfile: path.join(dist, BUILT.client) })
  await build({ ...common, entryPoints: entry('app.ts'), format: 'iife', sourcemap: 'inline', outfile: path.join(dist, BUILT.inline) })
  await build({ ...common, entryPoints: entry('app.ts'), format: 'iife', sourcemap: false, outfile: path.join(dist, BUILT.nomap) })
  await build({ ...common, entryPoints: entry('client.ts'), format: 'iife', sourcemap: 'external', outfile: path.join(dist, BUILT.named) })
  return builtApp(workspace)
}

function builtApp(workspace: string, copies: BuiltApp[] = []): BuiltApp {
  const dist = path.join(workspace, 'dist')
  return {
    workspace,
    dist,
    file: name => path.join(dist, name),
    async copy() {
      const target = await mkdtemp(path.join(tmpdir(), 'sra-build-'))
      await cp(workspace, target, { recursive: true })
      const copy = builtApp(target)
      copies.push(copy)
      return copy
    },
    async snapshot() {
      const files = new Map<string, Buffer>()
      for (const entry of await readdir(dist, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue
        const full = path.join(entry.parentPath, entry.name)
        files.set(path.relative(dist, full), await readFile(full))
      }
      return files
    },
    async remove() {
      await Promise.all(copies.map(copy => copy.remove()))
      await rm(workspace, { recursive: true, force: true })
    }
  }
}
