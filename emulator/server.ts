// startEmulator: the HTTP(S) server, the request log and fault injection around the API and control routes.
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import type { Socket } from 'node:net'
import { STATUS_CODES } from 'node:http'
import type { Emulator, EmulatorOptions, FaultRule, LoggedRequest, Seed } from './types.js'
import { defaultSeed } from './seed.js'
import { State } from './state.js'
import { Faults } from './faults.js'
import { CommitFetcher } from './fetch-commits.js'
import { RateLimiter, rateLimited, rateLimitHeaders, SENTRY_RATE_LIMITS, tooFrequent, type Limit } from './rate-limit.js'
import { ApiError, bodyForLog, readBody, send, type Reply } from './http.js'
import { handleApi, rateLimitGroupOf, type Services } from './router.js'
import { handleControl, isControlPath, type Controls } from './control.js'
import { addRepositoryTo, deploysView, headCommitsView, releaseView, repositoriesView } from './state-views.js'
import { Assembler } from './assemble-task.js'
import { SENTRY_CHUNK_UPLOAD } from './chunk-settings.js'
import { viewBundle } from './artifact-view.js'

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/**
 * An injected status. A 429 without retryAfter is Sentry's own (middleware/ratelimit.py): the endpoint's limit in the
 * detail, text/html, X-Sentry-Rate-Limit-* with Reset `resetSeconds` ahead, no Retry-After. With retryAfter it is a
 * proxy's: JSON and Retry-After.
 */
function faultReply(rule: FaultRule & { status: number }, limit: () => Limit): Reply {
  if (rule.status === 429 && rule.retryAfter === undefined) {
    const reset = Math.floor(Date.now() / 1000) + (rule.resetSeconds ?? 1)
    const e = rateLimited(limit(), rateLimitHeaders(limit().limit, 0, reset), rule.body)
    return { status: e.status, body: e.body, headers: e.headers }
  }
  const body =
    rule.body !== undefined ? rule.body : rule.status === 429 ? tooFrequent(limit()) : { detail: STATUS_CODES[rule.status] ?? 'Error' }
  return { status: rule.status, body, headers: rule.retryAfter !== undefined ? { 'Retry-After': rule.retryAfter } : {} }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]))
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '')
  const log = options.quiet === false ? (line: string) => console.log(line) : () => undefined
  const requests: LoggedRequest[] = []
  // Every connection accepted, by the client's port: one opened ahead (preconnect) counts before it carries a request.
  const connections: number[] = []
  const faults = new Faults()
  // The base URL is known once listening: a seed function and the state wait for it (no request is read before).
  let url = ''
  const initialSeed = (): Seed => (typeof options.seed === 'function' ? options.seed(url) : (options.seed ?? defaultSeed()))
  const uploadSettings = { ...SENTRY_CHUNK_UPLOAD, ...options.chunkUpload }
  const assembler = new Assembler({
    delayMs: options.assembleDelayMs ?? 50,
    maxFileSize: uploadSettings.assembleMaxFileSize,
    strict: options.strictBundles === true,
    log
  })
  const services: Services = {
    state: new State({ orgs: [], tokens: [] }),
    fetcher: new CommitFetcher({ git: options.git, delayMs: options.fetchDelayMs ?? 100, log }),
    uploads: { settings: uploadSettings, assembler },
    limiter: options.rateLimit ? new RateLimiter(options.rateLimit) : undefined
  }
  const controls: Controls = {
    requests: () => requests,
    release: (org, version) => releaseView(services.state, org, version),
    deploys: (org, version) => deploysView(services.state, org, version),
    headCommits: (org, version) => headCommitsView(services.state, org, version),
    repositories: org => repositoriesView(services.state, org),
    addRepository: (org, repo) => addRepositoryTo(services.state, org, repo),
    artifactBundles: org => {
      const o = services.state.org(org)
      const store = services.state.artifacts
      return o ? store.bundles.filter(b => b.orgId === o.id).map(b => viewBundle(store, o, b)) : []
    },
    addFault: rule => faults.add(rule),
    clearFaults: () => faults.clear(),
    reset: (seed?: Seed) => {
      services.state = new State(seed ?? initialSeed())
      services.limiter = options.rateLimit ? new RateLimiter(options.rateLimit) : undefined
      requests.length = 0
      connections.length = 0
      faults.clear()
    },
    settle: async () => {
      while (services.fetcher.count() + assembler.count() > 0) await Promise.all([services.fetcher.settle(), assembler.settle()])
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator')
    const method = req.method ?? 'GET'
    const rawBody = await readBody(req)
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return send(res, { status: 404 })
    const path = url.pathname.slice(basePath.length) || '/'
    if (isControlPath(path)) return send(res, await handleControl(controls, method, path, rawBody.toString('utf8')))
    const logBody = bodyForLog(rawBody, req.headers['content-type'])
    const entry: LoggedRequest = {
      method,
      path,
      query: url.search.slice(1),
      headers: flatHeaders(req),
      body: logBody,
      status: 0,
      time: Date.now(),
      connection: req.socket.remotePort ?? 0
    }
    requests.push(entry)
    const fault = faults.take(method, path)
    if (fault?.delayMs) await sleep(fault.delayMs)
    if (fault?.drop) return void req.socket.destroy()
    if (fault?.hang) return
    const origin = `${options.tls ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`
    const limitOf = (): Limit => {
      const group = rateLimitGroupOf(path)
      return services.limiter?.limitFor(group) ?? SENTRY_RATE_LIMITS[group]
    }
    const selfUrl = `${origin}${basePath}${url.pathname.slice(basePath.length)}`
    const reply = fault?.status
      ? faultReply({ ...fault, status: fault.status }, limitOf)
      : handleApi(services, {
          method,
          path,
          query: url.searchParams,
          headers: req.headers,
          rawBody,
          selfUrl,
          apiBase: `${origin}${basePath}/api/0/`,
          clientIp: req.socket.remoteAddress ?? '',
          commitLock: fault?.commitLock === true
        })
    entry.status = reply.status
    const shown = typeof logBody === 'string' || logBody === null ? rawBody.toString('utf8') : JSON.stringify(logBody)
    log(`${method} ${path}${url.search} ${shown.slice(0, 300)} -> ${reply.status}`.replace(/\s+/g, ' '))
    if (!res.destroyed) send(res, reply)
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(e => {
      const reply = e instanceof ApiError ? { status: e.status, body: e.body } : { status: 500, body: { detail: String(e) } }
      if (!res.headersSent && !res.destroyed) send(res, reply)
    })
  }
  const server = options.tls ? https.createServer(options.tls, listener) : http.createServer(listener)
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    connections.push(socket.remotePort ?? 0)
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  const stopServer = (): Promise<void> =>
    new Promise<void>(resolve => {
      server.close(() => resolve())
      for (const socket of sockets) socket.destroy()
    })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const host = options.host ?? '127.0.0.1'
  url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}${basePath}`

  try {
    services.state = new State(initialSeed())
  } catch (e) {
    await stopServer()
    throw e
  }

  return {
    url,
    requests,
    connections,
    addFault: controls.addFault,
    clearFaults: controls.clearFaults,
    release: controls.release,
    deploys: controls.deploys,
    headCommits: controls.headCommits,
    repositories: controls.repositories,
    addRepository: controls.addRepository,
    artifactBundles: controls.artifactBundles,
    pendingFetches: () => services.fetcher.count(),
    settle: controls.settle,
    reset: controls.reset,
    stop: stopServer
  }
}
