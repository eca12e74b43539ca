// GET / PUT / DELETE organizations/{org}/releases/{version}/ (releases/endpoints/organization_release_details.py).
import { RELEASE_SCOPES } from '../auth.js'
import { notFound, type Reply } from '../http.js'
import { serializeRelease } from '../serialize.js'
import { checkUrlColumn, releaseBody } from '../validation.js'
import { applyCommitsAndRefs } from './apply-commits.js'
import { permittedRelease, validate, type Ctx, type Route } from './context.js'
import { currentProjectMeta } from './project-meta.js'

function get(ctx: Ctx): Reply {
  const release = permittedRelease(ctx)
  const projectParam = ctx.query.get('project')
  let meta: Record<string, unknown> | undefined
  if (projectParam) {
    const project = ctx.state.project(ctx.org, projectParam)
    if (!project || !release.projectIds.includes(project.id)) throw notFound()
    meta = currentProjectMeta(ctx, release, project)
  }
  const adoptionStages = ['1', 'true'].includes(ctx.query.get('adoptionStages') ?? '')
  return { status: 200, body: serializeRelease(ctx.state, release, { currentProjectMeta: meta, adoptionStages }) }
}

/** put(): the truthy fields in one release.update(), then set_commits, then refs (see emulator/README.md, "Update"). */
function put(ctx: Ctx): Reply {
  const release = permittedRelease(ctx, true)
  const data = validate(releaseBody, ctx.body)
  // Only truthy values update: "" or null never clear a field. The UPDATE fails as a whole on a URL over the column.
  if (data.url) checkUrlColumn(data.url as string)
  if (data.dateReleased) release.dateReleased = data.dateReleased as string
  if (data.ref) release.ref = data.ref as string
  if (data.url) release.url = data.url as string
  if (data.status) release.status = data.status as 'open' | 'archived'
  applyCommitsAndRefs(ctx, release, data, true)
  return { status: 200, body: serializeRelease(ctx.state, release) }
}

function remove(ctx: Ctx): Reply {
  const release = permittedRelease(ctx, true)
  ctx.state.releases = ctx.state.releases.filter(r => r !== release)
  return { status: 204 }
}

export const releaseDetailsRoute: Route = {
  pattern: /^organizations\/([^/]+)\/releases\/([^/]+)\/$/,
  scopes: RELEASE_SCOPES,
  handlers: { GET: get, PUT: put, DELETE: remove }
}
