// Control routes outside /api/0 for an emulator started from a shell: log, state, repositories, artifact bundles, faults,
// reset.
import type { ArtifactBundle, HeadCommit, Seed, SeedRepository, FaultRule } from './types.js'
import { parseJson, type Reply } from './http.js'

export interface Controls {
  requests(): unknown[]
  release(org: string, version: string): Record<string, unknown> | undefined
  deploys(org: string, version: string): Array<Record<string, unknown>>
  headCommits(org: string, version: string): HeadCommit[]
  repositories(org: string): Array<Record<string, unknown>>
  addRepository(org: string, repo: SeedRepository): Record<string, unknown>
  artifactBundles(org: string): ArtifactBundle[]
  addFault(rule: FaultRule): void
  clearFaults(): void
  reset(seed?: Seed): void
  settle(): Promise<void>
}

const PREFIX = '/__emulator/'
const notFound = (what: string): Reply => ({ status: 404, body: { detail: what } })

export function isControlPath(path: string): boolean {
  return path.startsWith(PREFIX)
}

export async function handleControl(controls: Controls, method: string, path: string, rawBody: string): Promise<Reply> {
  const [what, ...rest] = path
    .slice(PREFIX.length)
    .split('/')
    .map(s => decodeURIComponent(s))
  const route = `${method} ${what}`
  if (route === 'GET requests') return { status: 200, body: controls.requests() }
  if (route === 'GET releases' && rest.length === 2) {
    const release = controls.release(rest[0], rest[1])
    if (!release) return notFound('The requested resource does not exist')
    const [deploys, headCommits] = [controls.deploys(rest[0], rest[1]), controls.headCommits(rest[0], rest[1])]
    return { status: 200, body: { ...release, _deploys: deploys, _headCommits: headCommits } }
  }
  if (route === 'GET repositories' && rest.length === 1) return { status: 200, body: controls.repositories(rest[0]) }
  if (route === 'POST repositories' && rest.length === 1) {
    try {
      return { status: 201, body: controls.addRepository(rest[0], parseJson(rawBody) as SeedRepository) }
    } catch (e) {
      return { status: 400, body: { detail: (e as Error).message } }
    }
  }
  if (route === 'GET artifact-bundles' && rest.length === 1) return { status: 200, body: controls.artifactBundles(rest[0]) }
  if (route === 'POST faults') {
    controls.addFault(parseJson(rawBody) as FaultRule)
    return { status: 201 }
  }
  if (route === 'DELETE faults') {
    controls.clearFaults()
    return { status: 204 }
  }
  if (route === 'POST reset') {
    const seed = parseJson(rawBody) as Partial<Seed>
    controls.reset(seed.orgs ? (seed as Seed) : undefined)
    return { status: 204 }
  }
  if (route === 'POST settle') {
    await controls.settle()
    return { status: 204 }
  }
  return notFound(`Unknown emulator control route ${method} ${path}`)
}
