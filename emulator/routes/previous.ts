// GET organizations/{org}/releases/{version}/previous-with-commits/ (organization_release_previous_commits.py).
import { RELEASE_SCOPES } from '../auth.js'
import { notFound, type Reply } from '../http.js'
import { releaseDate } from '../model.js'
import { serializeRelease } from '../serialize.js'
import { permittedRelease, type Ctx, type Route } from './context.js'

function get(ctx: Ctx): Reply {
  const release = permittedRelease(ctx)
  let projectIds = release.projectIds
  const projectParam = ctx.query.get('project')
  if (projectParam) {
    const project = ctx.state.project(ctx.org, projectParam)
    if (!project) throw notFound()
    projectIds = projectIds.filter(id => id === project.id)
  }
  if (projectIds.length === 0) return { status: 200, body: {} }
  // The query does not exclude the release itself.
  const previous = ctx.state.releases
    .filter(
      r =>
        r.orgId === release.orgId &&
        r.commits.length > 0 &&
        r.projectIds.some(id => projectIds.includes(id)) &&
        releaseDate(r) <= releaseDate(release)
    )
    .sort((a, b) => releaseDate(b).localeCompare(releaseDate(a)) || b.id - a.id)[0]
  return { status: 200, body: previous ? serializeRelease(ctx.state, previous) : {} }
}

export const previousWithCommitsRoute: Route = {
  pattern: /^organizations\/([^/]+)\/releases\/([^/]+)\/previous-with-commits\/$/,
  scopes: RELEASE_SCOPES,
  handlers: { GET: get }
}
