// POST organizations/{org}/artifactbundle/assemble/
// (api/endpoints/organization_artifactbundle_assemble.py OrganizationArtifactBundleAssembleEndpoint.post).
import { RELEASE_SCOPES } from '../auth.js'
import { ApiError, type Reply } from '../http.js'
import { parseAssembleBody } from '../assemble-body.js'
import type { Ctx, Route } from './context.js'

const badRequest = (error: string): ApiError => new ApiError(400, { error })

/** Projects by id (all decimal digits) or slug; a repeated or unknown one makes the counts differ. */
function projectIdsOf(ctx: Ctx, projects: string[]): number[] {
  const ids = new Set<number>()
  const slugs = new Set<string>()
  for (const p of projects) {
    if (/^\p{Nd}+$/u.test(p)) ids.add(Number(p))
    else slugs.add(p)
  }
  const found = ctx.org.projects.filter(p => ids.has(p.id) || slugs.has(p.slug)).map(p => p.id)
  if (found.length !== projects.length) throw badRequest('One or more projects are invalid')
  return found
}

function assemble(ctx: Ctx): Reply {
  const parsed = parseAssembleBody(ctx.raw)
  if ('error' in parsed) throw badRequest(parsed.error)
  const { projects, checksum, chunks, version, dist } = parsed.data
  if (projects.length === 0) throw badRequest('You need to specify at least one project')
  const projectIds = projectIdsOf(ctx, projects)
  const store = ctx.state.artifacts
  const missingChunks = [...new Set(chunks)].filter(c => !store.ownedBlob(ctx.org.id, c))
  if (missingChunks.length > 0) return { status: 200, body: { state: 'not_found', missingChunks } }
  const { state, detail } = store.status(ctx.org.id, checksum)
  if (state === 'ok') return { status: 200, body: { state, detail: null, missingChunks: [] } }
  if (state !== null) return { status: 200, body: { state, detail, missingChunks: [] } }
  // Neither a status nor chunks: taken as a poll.
  if (chunks.length === 0) return { status: 200, body: { state: 'not_found', missingChunks: [] } }
  store.setStatus(ctx.org.id, checksum, 'created')
  // Checked after the status is set: the checksum then stays `created` until the status expires.
  if (!version && dist) throw badRequest('You need to specify a release together with a dist')
  ctx.uploads.assembler.schedule(ctx.state, { orgId: ctx.org.id, projectIds, version, dist, checksum, chunks })
  return { status: 200, body: { state: 'created', missingChunks: [] } }
}

export const artifactBundleAssembleRoute: Route = {
  pattern: /^organizations\/([^/]+)\/artifactbundle\/assemble\/$/,
  scopes: RELEASE_SCOPES,
  handlers: { POST: assemble },
  rawBody: true
}
