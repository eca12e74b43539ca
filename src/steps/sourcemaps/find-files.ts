import * as path from 'node:path'
import { globBase, globRegExp, ignoreMatcher, isGlob } from '../../core/sourcemaps/glob.js'
import type { SourceMapSettings, UrlPrefix } from '../../core/sourcemaps/settings.js'

/** What finding files needs from the file system. */
export interface DirectoryPort {
  /** The entries of a directory, or undefined when it is not one. */
  list(dir: string): Promise<Array<{ name: string; directory: boolean; file: boolean }> | undefined>
  /** What a path is, or undefined when nothing is there. */
  kind(file: string): Promise<'file' | 'directory' | undefined>
}

/** A built file to inject and upload: a script or a source map. */
export interface FoundFile {
  /** Absolute path. */
  path: string
  /** The URL it is served at: url_prefix + its path below the entry (or url_prefix root) that found it. */
  url: string
  kind: 'script' | 'map'
}

export interface FoundFiles {
  files: FoundFile[]
  /** One line per entry of `sourcemaps` that found nothing. */
  warnings: string[]
}

const SCRIPT = /\.(?:js|mjs|cjs)$/
const MAP = /\.map$/

/**
 * The files the `sourcemaps` entries name: a file, every script and map below a directory, or those matching a
 * glob (walked from its leading plain segments); `ignore` applies while walking. Sorted by path, each file once.
 */
export async function findFiles(settings: SourceMapSettings, fs: DirectoryPort): Promise<FoundFiles> {
  const ignored = ignoreMatcher(settings.ignore)
  const found = new Map<string, FoundFile>()
  const warnings: string[] = []
  const add = (file: string, entryBase: string): void => {
    const kind = SCRIPT.test(file) ? 'script' : MAP.test(file) ? 'map' : undefined
    if (kind && !found.has(file)) found.set(file, { path: file, url: fileUrl(file, entryBase, settings.urlPrefixes), kind })
  }
  for (const entry of settings.paths) {
    const before = found.size
    if (isGlob(entry)) {
      const pattern = globRegExp(normalize(entry))
      const base = path.resolve(settings.baseDir, globBase(normalize(entry)))
      for (const file of await walk(base, settings.baseDir, ignored, fs)) {
        const subject = path.isAbsolute(entry) ? toPosix(file) : toPosix(path.relative(settings.baseDir, file))
        if (pattern.test(subject)) add(file, base)
      }
    } else {
      const target = path.resolve(settings.baseDir, entry)
      const kind = await fs.kind(target)
      if (kind === 'directory') for (const file of await walk(target, settings.baseDir, ignored, fs)) add(file, target)
      // A file named on its own is taken whatever `ignore` says, as sentry-cli does; its URL is relative to its folder.
      if (kind === 'file') add(target, path.dirname(target))
      if (kind === undefined) {
        warnings.push(`sourcemaps: '${entry}' does not exist (in ${settings.baseDir})`)
        continue
      }
    }
    if (found.size === before) warnings.push(`sourcemaps: '${entry}' has no .js, .mjs, .cjs or .map files`)
  }
  return { files: [...found.values()].sort((a, b) => compare(a.path, b.path)), warnings }
}

/** Files below `dir`, depth first in name order, skipping what `ignored` says (paths relative to baseDir). */
async function walk(dir: string, baseDir: string, ignored: (relative: string) => boolean, fs: DirectoryPort): Promise<string[]> {
  const entries = await fs.list(dir)
  if (!entries) return []
  const files: string[] = []
  for (const entry of entries.sort((a, b) => compare(a.name, b.name))) {
    const full = path.join(dir, entry.name)
    if (ignored(toPosix(path.relative(baseDir, full)))) continue
    if (entry.directory) files.push(...(await walk(full, baseDir, ignored, fs)))
    else if (entry.file) files.push(full)
  }
  return files
}

/**
 * url_prefix (one trailing '/' dropped, as sentry-cli does: `~/` -> `~`, `app:///` -> `app://`) + '/' + the path below
 * the most specific url_prefix root holding the file, else below the entry that found it.
 */
export function fileUrl(file: string, entryBase: string, prefixes: UrlPrefix[]): string {
  const rooted = prefixes.find(prefix => prefix.root !== undefined && isInside(file, prefix.root))
  const chosen = rooted ?? prefixes[prefixes.length - 1]
  const relative = toPosix(path.relative(rooted?.root ?? entryBase, file))
  const prefix = chosen.prefix.endsWith('/') ? chosen.prefix.slice(0, -1) : chosen.prefix
  return `${prefix}/${relative}`
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}

function normalize(entry: string): string {
  return toPosix(entry).replace(/^\.\//, '')
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/')
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
