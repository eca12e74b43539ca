// What every org-scoped route handler receives.
import type { IncomingHttpHeaders } from 'node:http'
import type { Org, Release } from '../model.js'
import type { State, Token } from '../state.js'
import type { CommitFetcher } from '../fetch-commits.js'
import { ApiError, notFound, type Reply } from '../http.js'
import { Invalid } from '../fields.js'
import type { RateLimitGroup } from '../rate-limit.js'
import { hasReleasePermission } from '../access.js'
import type { Assembler } from '../assemble-task.js'
import type { ChunkUploadSettings } from '../types.js'

/** Chunk upload and assembling: the limits in force and the background assemble task. */
export interface Uploads {
  settings: ChunkUploadSettings
  assembler: Assembler
}

export interface Ctx {
  state: State
  fetcher: CommitFetcher
  org: Org
  method: string
  /** Percent-decoded path parameters after the org, e.g. [version]. */
  params: string[]
  query: URLSearchParams
  body: unknown
  /** The request body as received. */
  raw: Buffer
  headers: IncomingHttpHeaders
  /** Absolute URL of the requested path, for Link headers. */
  selfUrl: string
  /** Absolute URL of /api/0/ on this server, e.g. http://127.0.0.1:8000/api/0/. */
  apiBase: string
  token: Token
  uploads: Uploads
  /** A fault rule says the release commit lock is held. */
  commitLock: boolean
}

export type Handler = (ctx: Ctx) => Reply

export interface Route {
  /** Matched against the decoded path after /api/0/; the first group is the org, the rest become params. */
  pattern: RegExp
  scopes: Record<string, string[]>
  handlers: Partial<Record<string, Handler>>
  /** Default 'default'. */
  rateLimitGroup?: RateLimitGroup
  /** The handler reads `raw` itself (no JSON parsing of the body before it). */
  rawBody?: boolean
}

/**
 * The release named by the first param; 404 when missing or not permitted (has_release_permission): reads need one
 * of its projects, changes (`requireAllProjects`) all of them. A release on no project is never permitted.
 */
export function permittedRelease(ctx: Ctx, requireAllProjects = false): Release {
  const release = ctx.state.release(ctx.org, ctx.params[0])
  if (!release || !hasReleasePermission(ctx.token, ctx.org, release, requireAllProjects)) throw notFound()
  return release
}

/** The validated body, or Sentry's 400 with the serializer errors. */
export function validate(parse: (body: unknown) => Record<string, unknown>, body: unknown): Record<string, unknown> {
  try {
    return parse(body)
  } catch (e) {
    if (e instanceof Invalid) throw new ApiError(400, e.detail)
    throw e
  }
}
