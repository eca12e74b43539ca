// GET / POST organizations/{org}/releases/ (releases/endpoints/organization_releases.py).
import { RELEASE_SCOPES } from '../auth.js'
import { ApiError, type Reply } from '../http.js'
import type { Project } from '../model.js'
import { paginated } from '../pagination.js'
import { serializeRelease } from '../serialize.js'
import { checkUrlColumn, createBody } from '../validation.js'
import { truncateChars } from '../fields.js'
import { hasProjectAccess, releaseProjects } from '../access.js'
import { applyCommitsAndRefs } from './apply-commits.js'
import { validate, type Ctx, type Route } from './context.js'

const USER_AGENT_MAX = 256

/** get(): releases of the projects the token reaches (get_filter_params), newest first. */
function list(ctx: Ctx): Reply {
  const text = (ctx.query.get('query') ?? '').toLowerCase()
  const reachable = releaseProjects(ctx.token, ctx.org).map(p => p.id)
  const releases = ctx.state.releases
    .filter(r => r.orgId === ctx.org.id && r.projectIds.some(id => reachable.includes(id)) && r.version.toLowerCase().includes(text))
    .sort((a, b) => b.dateCreated.localeCompare(a.dateCreated) || b.id - a.id)
  return paginated(releases, ctx.query, ctx.selfUrl, r => serializeRelease(ctx.state, r))
}

/**
 * post(): projects among get_projects; get_or_create(defaults=ref, url, dateReleased, status, user agent), so an
 * existing release keeps its fields (only a differing status is saved); projects added; commits and refs processed
 * either way; 201 when the release or one of its projects is new, else 208.
 */
function create(ctx: Ctx): Reply {
  const data = validate(createBody, ctx.body)
  if (data.owner !== undefined && data.owner !== null) {
    // Users are not modelled: no owner can be an org member.
    throw new ApiError(400, { owner: ['User does not have access to this organization'] })
  }
  const allowed = releaseProjects(ctx.token, ctx.org)
  const projects: Project[] = []
  for (const idOrSlug of data.projects as unknown[]) {
    const project = ctx.state.project(ctx.org, idOrSlug)
    if (!project || !allowed.includes(project)) throw new ApiError(400, { projects: ['Invalid project ids or slugs'] })
    projects.push(project)
  }
  const version = data.version as string
  const existing = ctx.state.release(ctx.org, version)
  const status = data.status as 'open' | 'archived' | undefined
  // The INSERT of a new release fails at the database on a URL over the column; nothing is saved.
  if (!existing && data.url) checkUrlColumn(data.url as string)
  const release =
    existing ??
    ctx.state.createRelease(ctx.org, version, {
      ref: (data.ref as string | null) || null,
      url: (data.url as string | null) || null,
      dateReleased: (data.dateReleased as string | null) ?? null,
      status: status ?? 'open',
      userAgent: truncateChars(String(ctx.headers['user-agent'] ?? ''), USER_AGENT_MAX) || null
    })
  const onRelease = ctx.org.projects.filter(p => release.projectIds.includes(p.id))
  if (!onRelease.every(p => hasProjectAccess(ctx.token, p))) {
    throw new ApiError(400, { projects: [`You do not have permission to one of the projects: ${onRelease.map(p => p.slug).join(', ')}`] })
  }
  if (existing && status) release.status = status
  const added = projects.filter((p, i) => !release.projectIds.includes(p.id) && projects.indexOf(p) === i)
  release.projectIds.push(...added.map(p => p.id))
  applyCommitsAndRefs(ctx, release, data, false)
  return { status: !existing || added.length > 0 ? 201 : 208, body: serializeRelease(ctx.state, release) }
}

export const releasesRoute: Route = {
  pattern: /^organizations\/([^/]+)\/releases\/$/,
  scopes: RELEASE_SCOPES,
  handlers: { GET: list, POST: create },
  rateLimitGroup: 'releases'
}
