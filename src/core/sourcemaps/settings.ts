import * as path from 'node:path'
import { InputError } from '../errors.js'
import { characters } from '../url.js'
import { type InputReader, readBoolean, splitList } from '../settings.js'

/** What the source maps step does: inject debug IDs only (a build job), upload only (injected earlier), or both. */
export type SourceMapMode = 'inject' | 'upload' | 'both'
const MODES: readonly SourceMapMode[] = ['inject', 'upload', 'both']

/** One `url_prefix`: for the files under `root` (absolute), or for every file when root is undefined. */
export interface UrlPrefix {
  root?: string
  prefix: string
}

/** The source maps inputs, validated once. */
export interface SourceMapSettings {
  /** Files, directories or globs as given (relative to `baseDir`). */
  paths: string[]
  /** Absolute directory the paths are relative to: the workspace joined with working_directory. */
  baseDir: string
  mode: SourceMapMode
  /** Inject debug IDs before uploading (mode both); mode inject always injects, mode upload never does. */
  inject: boolean
  /** The bundle's dist (with a release only: Sentry refuses a dist without one). */
  dist?: string
  /** URL prefixes, the most specific root first; the last one has no root (default `~/`). */
  urlPrefixes: UrlPrefix[]
  /** Prefixes stripped from the maps' `sources` in the uploaded copy (sentry-cli --strip-prefix). */
  stripPrefixes: string[]
  /** Strip the common prefix of the maps' absolute `sources` (sentry-cli --strip-common-prefix). */
  stripCommonPrefix: boolean
  /** Globs of files and folders left out; a glob without '/' matches a name at any depth. */
  ignore: string[]
  /** No files found is an error instead of a warning. */
  strict: boolean
  /** Change no file and send nothing: list the files, their debug IDs and the requests. */
  dryRun: boolean
}

// sentry-cli validate_distribution (src/utils/args.rs): no surrounding spaces, at most 64 characters.
const MAX_DIST_LENGTH = 64

/**
 * The source maps inputs -> settings; undefined when `sourcemaps` is not set (the step is off). Pure over the
 * reader and the environment (GITHUB_WORKSPACE): no file is read here.
 */
export function readSourceMapSettings(env: Record<string, string | undefined>, input: InputReader): SourceMapSettings | undefined {
  const paths = splitList('sourcemaps', input('sourcemaps'))
  const mode = readMode(input)
  const inject = readBoolean(input, 'inject', true)
  const dist = readDist(input)
  const baseDir = path.resolve(env.GITHUB_WORKSPACE ?? '', input('working_directory'))
  const urlPrefixes = readUrlPrefixes(input, baseDir)
  const stripPrefixes = splitList('strip_prefix', input('strip_prefix'))
  const stripCommonPrefix = readBoolean(input, 'strip_common_prefix', false)
  const ignore = splitList('ignore', input('ignore'))
  const strict = readBoolean(input, 'sourcemaps_strict', false)
  const dryRun = readBoolean(input, 'dry_run', false)
  if (paths.length === 0) return undefined
  if (mode === 'inject' && !inject) {
    throw new InputError('inject', "is false, but sourcemaps_mode 'inject' does nothing else: set inject: true, or another mode")
  }
  return {
    paths,
    baseDir,
    mode,
    inject: mode === 'inject' || (mode === 'both' && inject),
    dist,
    urlPrefixes,
    stripPrefixes,
    stripCommonPrefix,
    ignore,
    strict,
    dryRun
  }
}

function readMode(input: InputReader): SourceMapMode {
  const value = input('sourcemaps_mode').trim().toLowerCase() || 'both'
  const mode = MODES.find(known => known === value)
  if (!mode) throw new InputError('sourcemaps_mode', `'${value}' must be one of ${MODES.join(', ')}`)
  return mode
}

function readDist(input: InputReader): string | undefined {
  const value = input('dist')
  if (value === '') return undefined
  if (value.trim() !== value) throw new InputError('dist', 'must not start or end with spaces')
  if (characters(value) > MAX_DIST_LENGTH) throw new InputError('dist', `must be at most ${MAX_DIST_LENGTH} characters`)
  return value
}

/**
 * `url_prefix`: one prefix for every file (`~/static`), and/or `path=prefix` pairs for the files under a path
 * (`dist/web=~/ dist/admin=~/admin`). Default `~/`. The most specific path wins.
 */
function readUrlPrefixes(input: InputReader, baseDir: string): UrlPrefix[] {
  let fallback = '~/'
  const rooted: UrlPrefix[] = []
  for (const entry of splitList('url_prefix', input('url_prefix'))) {
    const equals = entry.indexOf('=')
    if (equals < 0) {
      fallback = entry
      continue
    }
    const [root, prefix] = [entry.slice(0, equals), entry.slice(equals + 1)]
    if (!root || !prefix) throw new InputError('url_prefix', `'${entry}' must be a prefix, or path=prefix with both sides set`)
    rooted.push({ root: path.resolve(baseDir, root), prefix })
  }
  rooted.sort((a, b) => (b.root ?? '').length - (a.root ?? '').length)
  return [...rooted, { prefix: fallback }]
}
