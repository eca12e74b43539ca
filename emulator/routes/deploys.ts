// GET / POST organizations/{org}/releases/{version}/deploys/ (releases/endpoints/release_deploys.py).
import { RELEASE_SCOPES } from '../auth.js'
import { ApiError, type Reply } from '../http.js'
import type { Project } from '../model.js'
import { paginated } from '../pagination.js'
import { serializeDeploy } from '../serialize.js'
import { checkUrlColumn, deployBody } from '../validation.js'
import { hasDeployProjectScope, releaseProjects } from '../access.js'
import { permittedRelease, validate, type Ctx, type Route } from './context.js'

/** get(): deploys that are still the latest of a project environment the token reaches, newest finish first. */
function list(ctx: Ctx): Reply {
  const release = permittedRelease(ctx)
  const reachable = new Set(releaseProjects(ctx.token, ctx.org).map(p => String(p.id)))
  const current = new Set([...release.currentDeploys].filter(([key]) => reachable.has(key.split('/')[0])).map(([, id]) => id))
  const deploys = release.deploys.filter(d => current.has(d.id)).sort((a, b) => b.dateFinished.localeCompare(a.dateFinished) || b.id - a.id)
  return paginated(deploys, ctx.query, ctx.selfUrl, serializeDeploy)
}

/** post() and create_deploy(): every project must be on the release; the Deploy row is written last. */
function create(ctx: Ctx): Reply {
  const release = permittedRelease(ctx, true)
  const body = deployBody(
    idOrSlug => ctx.state.project(ctx.org, idOrSlug),
    p => hasDeployProjectScope(ctx.token, p)
  )
  const data = validate(body, ctx.body)
  const onRelease = ctx.org.projects.filter(p => release.projectIds.includes(p.id))
  const projects = [...new Set((data.projects as Project[] | undefined) ?? onRelease)]
  const invalid = [...new Set(projects.filter(p => !release.projectIds.includes(p.id)).map(p => p.slug))]
  if (invalid.length > 0) {
    throw new ApiError(400, {
      detail: {
        code: 'parameter-validation-error',
        message: `Invalid projects (${invalid.join(', ')}) for release ${release.version}`,
        extra: { context: '' }
      }
    })
  }
  // Deploy.objects.create fails at the database on a URL over the column: no deploy, the release unchanged.
  if (data.url) checkUrlColumn(data.url as string)
  const deploy = ctx.state.addDeploy(
    release,
    {
      environment: data.environment as string,
      name: (data.name as string | null | undefined) || null,
      url: (data.url as string | null | undefined) || null,
      dateStarted: (data.dateStarted as string | null | undefined) ?? null,
      dateFinished: (data.dateFinished as string | null | undefined) ?? new Date().toISOString()
    },
    projects.map(p => p.id)
  )
  return { status: 201, body: serializeDeploy(deploy) }
}

export const deploysRoute: Route = {
  pattern: /^organizations\/([^/]+)\/releases\/([^/]+)\/deploys\/$/,
  scopes: RELEASE_SCOPES,
  handlers: { GET: list, POST: create }
}
