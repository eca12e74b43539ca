// GET organizations/{org}/repos/ (api/endpoints/organization_repositories.py OrganizationRepositoriesEndpoint.get).
import { INTEGRATION_LOOSE_SCOPES } from '../auth.js'
import type { Reply } from '../http.js'
import type { Repo } from '../model.js'
import { paginated } from '../pagination.js'
import { serializeRepo } from '../serialize.js'
import type { Ctx, Route } from './context.js'

/** status=active (default) lists active rows, deleted the others, "" all of them, anything else none. */
function byStatus(status: string): (repo: Repo) => boolean {
  if (status === 'active') return r => r.status === 'active'
  if (status === 'deleted') return r => r.status !== 'active'
  return () => status === ''
}

function list(ctx: Ctx): Reply {
  const text = (ctx.query.get('query') ?? '').toLowerCase()
  const integrationId = ctx.query.get('integration_id')
  const repos = ctx.org.repos
    .filter(byStatus(ctx.query.get('status') ?? 'active'))
    .filter(r => !integrationId || String(r.integrationId) === integrationId)
    .filter(r => r.name.toLowerCase().includes(text))
    // order_by("name"); rows of one name come in insertion order.
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id))
  return paginated(repos, ctx.query, ctx.selfUrl, serializeRepo)
}

export const reposRoute: Route = {
  pattern: /^organizations\/([^/]+)\/repos\/$/,
  scopes: INTEGRATION_LOOSE_SCOPES,
  handlers: { GET: list }
}
