// Dispatch of /api/0/ requests: routing, rate limit, auth, scopes, org lookup, then the handler.
import type { IncomingHttpHeaders } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { State, Token } from './state.js'
import type { CommitFetcher } from './fetch-commits.js'
import type { RateLimitGroup, RateLimiter } from './rate-limit.js'
import { authenticate, checkOrgAccess, checkScope } from './auth.js'
import { ApiError, detail, notFound, parseJson, type Reply } from './http.js'
import { ServerCrash } from './validation.js'
import type { Route, Uploads } from './routes/context.js'
import { releaseDetailsRoute } from './routes/release-details.js'
import { releasesRoute } from './routes/releases.js'
import { deploysRoute } from './routes/deploys.js'
import { previousWithCommitsRoute } from './routes/previous.js'
import { reposRoute } from './routes/repos.js'
import { chunkUploadRoute } from './routes/chunk-upload.js'
import { artifactBundleAssembleRoute } from './routes/artifact-bundle-assemble.js'

const ROUTES: Route[] = [
  releasesRoute,
  releaseDetailsRoute,
  deploysRoute,
  previousWithCommitsRoute,
  reposRoute,
  chunkUploadRoute,
  artifactBundleAssembleRoute
]
const API_PREFIX = '/api/0/'
/** Every user token belongs to the one emulated user. */
const USER_ID = '1'

export interface ApiRequest {
  method: string
  /** Raw pathname after the base path. */
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  rawBody: Buffer
  selfUrl: string
  apiBase: string
  clientIp: string
  commitLock: boolean
}

export interface Services {
  state: State
  fetcher: CommitFetcher
  uploads: Uploads
  limiter?: RateLimiter
}

/** Django matches routes on the percent-decoded path, so an encoded "/" splits a segment. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/** Sentry's CatchallEndpoint: a hint for a missing trailing slash, otherwise an empty 404. */
function catchall(req: ApiRequest, path: string): Reply {
  if (path.endsWith('/')) return { status: 404 }
  const info = `Route not found, did you forget a trailing slash? try: ${path}/`
  if (String(req.headers['content-type'] ?? '').startsWith('application/json')) return { status: 404, body: { info } }
  const arrow = `${' '.repeat(`try: ${path}/`.length - 1)}^`
  return { status: 404, text: `Route not found, did you forget a trailing slash?\n\ntry: ${path}/\n${arrow}\n` }
}

/** GET /api/0/: needs no permission, reports the caller's auth. */
function apiIndex(token: Token | null): Reply {
  const user = token?.kind === 'user' ? { id: USER_ID, name: 'admin', username: 'admin', email: 'admin@localhost' } : null
  return { status: 200, body: { version: '0', auth: token ? { scopes: token.scopes } : null, user } }
}

/** The route serving a raw request path, with the decoded path and the part after /api/0/. */
function findRoute(rawPath: string): { path: string; rest?: string; route?: Route } {
  const path = decodePath(rawPath)
  if (!path.startsWith(API_PREFIX)) return { path }
  const rest = path.slice(API_PREFIX.length)
  return { path, rest, route: ROUTES.find(r => r.pattern.test(rest)) }
}

export function rateLimitGroupOf(rawPath: string): RateLimitGroup {
  return findRoute(rawPath).route?.rateLimitGroup ?? 'default'
}

/** User tokens are limited per user; org tokens, API keys and anonymous callers per IP; each endpoint and method apart. */
function rateLimitKey(state: State, req: ApiRequest, route: Route | undefined): string {
  const bearer = String(req.headers.authorization ?? '').split(/\s+/)[1] ?? ''
  const who = state.tokens.get(bearer)?.kind === 'user' ? `user:${USER_ID}` : `ip:${req.clientIp}`
  return `${who} ${req.method} ${route?.pattern.source ?? 'index'}`
}

export function handleApi(services: Services, req: ApiRequest): Reply {
  let limitHeaders: Record<string, string> = {}
  try {
    const { path, rest, route } = findRoute(req.path)
    if (rest === undefined) return { status: 404 }
    if (!route && rest !== '') return catchall(req, path)
    if (services.limiter) {
      limitHeaders = services.limiter.hit(route?.rateLimitGroup ?? 'default', rateLimitKey(services.state, req, route))
    }
    const token = authenticate(services.state, req.headers.authorization)
    const reply = route ? handleRoute(services, req, route, rest, token) : apiIndex(token)
    return { ...reply, headers: { ...limitHeaders, ...reply.headers } }
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: e.body, headers: { ...limitHeaders, ...e.headers } }
    if (e instanceof ServerCrash) return { status: 500, body: { detail: 'Internal Error', errorId: randomBytes(16).toString('hex') } }
    throw e
  }
}

function handleRoute(services: Services, req: ApiRequest, route: Route, rest: string, token: Token | null): Reply {
  checkScope(token, route.scopes[req.method])
  const [orgParam, ...params] = (route.pattern.exec(rest) ?? []).slice(1)
  const org = services.state.org(orgParam)
  if (!org) throw notFound()
  checkOrgAccess(token, org)
  const handler = route.handlers[req.method]
  if (!handler) throw detail(405, `Method "${req.method}" not allowed.`)
  return handler({
    state: services.state,
    fetcher: services.fetcher,
    org,
    method: req.method,
    params,
    query: req.query,
    body: req.method === 'GET' || route.rawBody ? {} : parseJson(req.rawBody.toString('utf8')),
    raw: req.rawBody,
    headers: req.headers,
    selfUrl: req.selfUrl,
    apiBase: req.apiBase,
    token,
    uploads: services.uploads,
    commitLock: req.commitLock
  })
}
