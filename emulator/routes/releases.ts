// GET / POST organizations/{org}/releases/ (api/endpoints/organization_releases.py).
import { RELEASE_SCOPES } from '../auth.js'
import { ApiError, type Reply } from '../http.js'
import type { Project } from '../model.js'
import { paginated } from '../pagination.js'
import { serializeRelease } from '../serialize.js'
import { createBody } from '../validation.js'
import { truncateChars } from '../fields.js'
import { applyCommitsAndRefs } from './apply-commits.js'
import { validate, type Ctx, type Route } from './context.js'

const USER_AGENT_MAX = 256

function list(ctx: Ctx): Reply {
  const text = (ctx.query.get('query') ?? '').toLowerCase()
  const releases = ctx.state.releases
    .filter(r => r.orgId === ctx.org.id && r.projectIds.length > 0 && r.version.toLowerCase().includes(text))
    .sort((a, b) => b.dateCreated.localeCompare(a.dateCreated) || b.id - a.id)
  return paginated(releases, ctx.query, ctx.selfUrl, r => serializeRelease(ctx.state, r))
}

function create(ctx: Ctx): Reply {
  const data = validate(createBody, ctx.body)
  if (data.owner !== undefined && data.owner !== null) {
    // Users are not modelled: no owner can be an org member.
    throw new ApiError(400, { owner: ['User does not have access to this organization'] })
  }
  const projects: Project[] = []
  for (const idOrSlug of data.projects as unknown[]) {
    const project = ctx.state.project(ctx.org, idOrSlug)
    if (!project) throw new ApiError(400, { projects: ['Invalid project ids or slugs'] })
    projects.push(project)
  }
  const version = data.version as string
  const existing = ctx.state.release(ctx.org, version)
  const release = existing ?? ctx.state.createRelease(ctx.org, version, {
    ref: (data.ref as string | null) || null,
    url: (data.url as string | null) || null,
    dateReleased: (data.dateReleased as string | null) ?? null,
    status: (data.status as 'open' | 'archived' | undefined) ?? 'open',
    userAgent: truncateChars(String(ctx.headers['user-agent'] ?? ''), USER_AGENT_MAX) || null
  })
  const added = projects.filter(p => !release.projectIds.includes(p.id))
  release.projectIds.push(...added.map(p => p.id))
  applyCommitsAndRefs(ctx, release, data, false)
  const created = !existing || added.length > 0
  return { status: created ? 201 : 208, body: serializeRelease(ctx.state, release) }
}

export const releasesRoute: Route = {
  pattern: /^organizations\/([^/]+)\/releases\/$/,
  scopes: RELEASE_SCOPES,
  handlers: { GET: list, POST: create },
  rateLimitGroup: 'releases'
}
