// GET release details ?project=: currentProjectMeta, the neighbours of the release in that project by date.
import type { Project, Release } from '../model.js'
import { detail } from '../http.js'
import type { Ctx } from './context.js'

function passesFilters(release: Release, query: URLSearchParams): boolean {
  const status = query.get('status') || 'open'
  const environments = query.getAll('environment')
  const text = (query.get('query') ?? '').toLowerCase()
  return (
    release.status === status &&
    (environments.length === 0 || release.deploys.some(d => environments.includes(d.environment))) &&
    release.version.toLowerCase().includes(text)
  )
}

/** Only the date sort is supported for the neighbours, as in Sentry; anything else is a 400. */
export function currentProjectMeta(ctx: Ctx, release: Release, project: Project): Record<string, unknown> {
  if ((ctx.query.get('sort') || 'date') !== 'date') throw detail(400, 'invalid sort')
  const byDate = ctx.state.releases
    .filter(r => r.orgId === release.orgId && r.projectIds.includes(project.id) && (r === release || passesFilters(r, ctx.query)))
    .sort((a, b) => a.dateCreated.localeCompare(b.dateCreated) || a.id - b.id)
  const at = byDate.indexOf(release)
  const others = byDate.filter(r => r !== release)
  return {
    nextReleaseVersion: byDate[at + 1]?.version ?? null,
    prevReleaseVersion: byDate[at - 1]?.version ?? null,
    firstReleaseVersion: others[0]?.version ?? null,
    lastReleaseVersion: others[others.length - 1]?.version ?? null,
    sessionsLowerBound: null,
    sessionsUpperBound: null
  }
}
