// GET organizations/{org}/repos/ (api/endpoints/organization_repositories.py).
import { INTEGRATION_LOOSE_SCOPES } from '../auth.js'
import { detail, type Reply } from '../http.js'
import { paginated } from '../pagination.js'
import { serializeRepo } from '../serialize.js'
import type { Ctx, Route } from './context.js'

function list(ctx: Ctx): Reply {
  const status = ctx.query.get('status') ?? 'active'
  if (!['active', 'deleted', 'unmigratable'].includes(status)) throw detail(400, 'Invalid status parameter.')
  const text = (ctx.query.get('query') ?? '').toLowerCase()
  const repos = ctx.org.repos
    .filter(r => (status === 'active' ? r.status === 'active' : false) && r.name.toLowerCase().includes(text))
    .sort((a, b) => a.name.localeCompare(b.name))
  return paginated(repos, ctx.query, ctx.selfUrl, serializeRepo)
}

export const reposRoute: Route = {
  pattern: /^organizations\/([^/]+)\/repos\/$/,
  scopes: INTEGRATION_LOOSE_SCOPES,
  handlers: { GET: list }
}
