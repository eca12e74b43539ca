// Which map belongs to which script, as sentry-cli decides it (src/utils/sourcemaps.rs collect_sourcemap_references,
// guess_sourcemap_reference): the script's sourceMappingURL when it names a found file or is a data: URL, else a
// map named like the script (foo.min.js -> foo.map, foo.min.js.map, foo.js.map, foo.min.map) that no other script
// names or guesses.
import * as path from 'node:path'

/** A script as pairing sees it: where it is and what its sourceMappingURL says (query and fragment removed). */
export interface ScriptReference {
  path: string
  reference?: string
}

export type Pairing =
  /** The map is embedded in the script as a data: URL. */
  | { kind: 'embedded' }
  /** The map is a found file; `reference` is the URL the script names it by (the `sourcemap` header). */
  | { kind: 'file'; mapPath: string; reference: string }
  | { kind: 'none'; note?: string }

/** Pairs every script with its map (keyed by script path); `maps` are the paths of the found maps. */
export function pairScripts(scripts: ScriptReference[], maps: string[]): Map<string, Pairing> {
  const known = new Set(maps)
  const pairings = new Map<string, Pairing>()
  const named = new Map<string, string>()
  const unnamed: ScriptReference[] = []
  for (const script of scripts) {
    const reference = script.reference
    if (reference?.startsWith('data:')) {
      pairings.set(script.path, { kind: 'embedded' })
    } else if (reference && !isRemote(reference)) {
      const mapPath = path.resolve(path.dirname(script.path), safeDecode(reference))
      if (known.has(mapPath)) {
        pairings.set(script.path, { kind: 'file', mapPath, reference })
        named.set(mapPath, script.path)
      } else {
        pairings.set(script.path, { kind: 'none', note: `its sourceMappingURL ${reference} is not among the files found` })
      }
    } else {
      unnamed.push(script)
    }
  }
  // A guess counts only when one script guesses the map and none names it.
  const guesses = new Map<string, Array<{ script: string; reference: string }>>()
  for (const script of unnamed) {
    const guess = guessMap(script.path, known)
    if (!guess) {
      pairings.set(script.path, { kind: 'none' })
    } else if (named.has(guess.mapPath)) {
      const owner = path.basename(named.get(guess.mapPath) ?? '')
      pairings.set(script.path, { kind: 'none', note: `${guess.reference} belongs to ${owner}, whose sourceMappingURL names it` })
    } else {
      guesses.set(guess.mapPath, [...(guesses.get(guess.mapPath) ?? []), { script: script.path, reference: guess.reference }])
    }
  }
  for (const [mapPath, guessed] of guesses) {
    for (const { script, reference } of guessed) {
      const note = `${reference} fits several scripts by name; add a //# sourceMappingURL= comment to pair it`
      pairings.set(script, guessed.length === 1 ? { kind: 'file', mapPath, reference } : { kind: 'none', note })
    }
  }
  return pairings
}

/** The first found map named like the script: foo.min.js -> foo.map, foo.min.js.map, foo.js.map, foo.min.map. */
function guessMap(script: string, known: Set<string>): { mapPath: string; reference: string } | undefined {
  const dir = path.dirname(script)
  const name = path.basename(script)
  const dot = name.indexOf('.')
  const [base, extension] = dot < 0 ? [name, undefined] : [name.slice(0, dot), name.slice(dot + 1)]
  const candidates = [`${base}.map`]
  if (extension !== undefined) {
    candidates.push(`${base}.${extension}.map`)
    if (extension.startsWith('min.')) candidates.push(`${base}.${extension.slice(4)}.map`)
    const parts = extension.split('.')
    if (parts.length > 1) candidates.push(`${base}.${[...parts.slice(0, -1), 'map'].join('.')}`)
  }
  const reference = candidates.find(candidate => known.has(path.join(dir, candidate)))
  return reference === undefined ? undefined : { mapPath: path.join(dir, reference), reference }
}

function isRemote(reference: string): boolean {
  return /^[a-z][a-z\d+.-]*:/i.test(reference) || reference.startsWith('//') || reference.startsWith('/')
}

function safeDecode(reference: string): string {
  try {
    return decodeURIComponent(reference)
  } catch {
    return reference
  }
}
