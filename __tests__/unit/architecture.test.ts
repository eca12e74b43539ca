// The architecture, checked: src/core (pure, synchronous: no I/O module, no toolkit) <- src/steps (decisions over injected
// ports; may log through @actions/core) <- src/io (adapters: the toolkit, git, HTTP, files). main.ts and index.ts wire them.
// An import against that direction, an I/O module imported where it does not belong, or any import cycle fails here.
// The layers are described in docs/design.md.
import { describe, expect, test } from '@jest/globals'
import * as path from 'node:path'
import { sourceFiles } from '../helpers/source-files.js'

const SRC = path.resolve('src')
const LAYERS = ['core', 'steps', 'io'] as const
type Layer = (typeof LAYERS)[number] | 'root'

/** Packages and node modules that do I/O or talk to the runner: never in core; in steps only @actions/core, for logging. */
const IO_PACKAGES = /^(node:(fs|fs\/promises|child_process|net|http|https|tls|dns|os|stream|readline|worker_threads)|undici|@actions\/.*)$/
const STEP_ALLOWED_PACKAGES = new Set(['@actions/core'])

function layerOf(file: string): Layer {
  const top = path.relative(SRC, file).split(path.sep)[0]
  return (LAYERS as readonly string[]).includes(top) ? (top as Layer) : 'root'
}

/** Every module a file names in an import or export ... from (type-only ones too: they tie modules as well). */
function specifiers(text: string): string[] {
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)
  ].map(match => match[1])
}

/** The source file a relative import names; undefined for packages and for files outside src/ (package.json). */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const target = path.resolve(path.dirname(from), specifier).replace(/\.js$/, '.ts')
  return target.startsWith(`${SRC}${path.sep}`) && target.endsWith('.ts') ? target : undefined
}

// Absolute path -> text, each module read once.
const texts = new Map([...sourceFiles()].map(([relative, text]) => [path.join(SRC, relative), text]))
const files = [...texts.keys()]
const textOf = (file: string): string => texts.get(file) ?? ''
const graph = new Map(files.map(file => [file, specifiers(textOf(file))]))
const name = (file: string) => path.relative(SRC, file)

describe('the layers of src/', () => {
  test('every module of the action lives in a layer folder, but the entry points', () => {
    const loose = files.filter(file => layerOf(file) === 'root').map(name)
    expect(loose.sort()).toEqual(['index.ts', 'main.ts'])
  })

  test('imports go one way: core <- steps <- io <- main; core and steps do no I/O', () => {
    const order: Record<Layer, number> = { core: 0, steps: 1, io: 2, root: 3 }
    const wrong: string[] = []
    for (const [file, imports] of graph) {
      const layer = layerOf(file)
      for (const specifier of imports) {
        const target = resolveImport(file, specifier)
        if (target) {
          if (order[layerOf(target)] > order[layer]) wrong.push(`${name(file)} (${layer}) imports ${name(target)} (${layerOf(target)})`)
        } else if (layer === 'core' && IO_PACKAGES.test(specifier)) {
          wrong.push(`${name(file)} (core) imports ${specifier}`)
        } else if (layer === 'steps' && IO_PACKAGES.test(specifier) && !STEP_ALLOWED_PACKAGES.has(specifier)) {
          wrong.push(`${name(file)} (steps) imports ${specifier}`)
        }
      }
    }
    expect(wrong).toEqual([])
  })

  // The ports (core/ports.ts) describe asynchronous work in types; core never does any itself.
  test('core is synchronous: no async function or await', () => {
    const asynchronous = files.filter(file => layerOf(file) === 'core' && /\basync\b|\bawait\b/.test(textOf(file)))
    expect(asynchronous.map(name)).toEqual([])
  })

  test('no import cycle', () => {
    const cycles: string[] = []
    const state = new Map<string, 'visiting' | 'done'>()
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map(name).join(' -> '))
        return
      }
      state.set(file, 'visiting')
      for (const specifier of graph.get(file) ?? []) {
        const target = resolveImport(file, specifier)
        if (target && graph.has(target)) visit(target, [...trail, file])
      }
      state.set(file, 'done')
    }
    files.forEach(file => visit(file, []))
    expect(cycles).toEqual([])
  })

  test('no module but the io layer and main reads process.env', () => {
    const readers = files.filter(file => ['core', 'steps'].includes(layerOf(file)) && /process\.env/.test(textOf(file)))
    expect(readers.map(name)).toEqual([])
  })
})
