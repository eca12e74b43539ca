// The shape a seed file must have, checked before the emulator starts so a mistake reads as one line.
import type { Seed } from './types.js'
import { State } from './state.js'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isList = (v: unknown, each: (item: Record<string, unknown>) => boolean): boolean =>
  Array.isArray(v) && v.every(item => isObject(item) && each(item))
const isText = (v: unknown): boolean => typeof v === 'string' && v !== ''

const ORGS = '"orgs" must be a list of {"slug", "projects": [{"slug"}], "repositories": [{"name", "provider"?: "github"}]}'
const TOKENS = '"tokens" must be a list of {"token", "scopes"?: [...], "org"?, "projects"?: [slug, ...]}'
const RELEASES = '"releases" must be a list of {"org", "version", "projects": [slug, ...]}'

/** The problem with a parsed seed file, or undefined when the emulator can load it. */
export function seedProblem(seed: unknown): string | undefined {
  if (!isObject(seed)) return 'expected a JSON object with "orgs" and "tokens"'
  const provider = (v: unknown): boolean => v === undefined || v === null || v === 'github'
  if (
    !isList(
      seed.orgs,
      o => isText(o.slug) && isList(o.projects, p => isText(p.slug)) && isList(o.repositories, r => isText(r.name) && provider(r.provider))
    )
  )
    return ORGS
  const slugs = (v: unknown): boolean => Array.isArray(v) && v.every(isText)
  if (!isList(seed.tokens, t => isText(t.token) && (t.projects === undefined || slugs(t.projects)))) return TOKENS
  if (seed.releases !== undefined && !isList(seed.releases, r => isText(r.org) && typeof r.version === 'string' && slugs(r.projects))) {
    return RELEASES
  }
  try {
    new State(seed as unknown as Seed)
  } catch (e) {
    return (e as Error).message
  }
  return undefined
}
