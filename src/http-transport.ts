// One HTTP(S) exchange over node:http/node:https, with the proxy rules of @actions/http-client.
// Why not @actions/http-client: it loads all of undici at start-up (~1 MB of bundle, ~50 ms per run,
// README, Performance); global fetch loads node's own undici lazily (+25 ms over node:http).
// A custom CA comes from NODE_EXTRA_CA_CERTS, which node:https honours by itself: production passes no `ca`.
import * as http from 'node:http'
import * as https from 'node:https'
import { isIP } from 'node:net'
import type { Duplex } from 'node:stream'
import * as tls from 'node:tls'

export interface HttpRequest {
  method: string
  url: string
  headers?: Record<string, string>
  /** Sent as JSON (with Content-Type and Content-Length); no body when undefined. */
  json?: unknown
  /** Sent as is, with Content-Length (the caller sets Content-Type); instead of json. */
  body?: Buffer
  /** Deadline for the whole exchange: connecting, the proxy, TLS, the answer and its body. */
  timeoutMs: number
  /** The proxy to go through, from proxyFor; undefined: direct. */
  proxy?: HttpProxy
  /** Tests only: the one CA to trust. It replaces node's store, NODE_EXTRA_CA_CERTS included. */
  ca?: string
}

export interface HttpResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/** A proxy from the environment, and the variable it came from, for messages. */
export interface HttpProxy {
  url: URL
  variable: string
}

/** The proxy setting cannot work, or the proxy refused: `variable` is what to check; `retryable` when trying again may help. */
export class ProxyError extends Error {
  constructor(
    message: string,
    readonly variable: string,
    readonly retryable: boolean
  ) {
    super(message)
    this.name = 'ProxyError'
  }
}

/** The exchange did not finish within HttpRequest.timeoutMs. */
export class TimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Request timeout: no answer within ${timeoutMs / 1000} s`)
    this.name = 'TimeoutError'
  }
}

/** Sends one request and resolves with the answer whatever its status; rejects on network errors and the deadline. */
export async function sendRequest(request: HttpRequest): Promise<HttpResponse> {
  const target = new URL(request.url)
  const { proxy } = request
  const body = request.body ?? (request.json === undefined ? undefined : JSON.stringify(request.json))
  const headers: Record<string, string> = { ...request.headers }
  if (request.body === undefined && body !== undefined) headers['Content-Type'] = 'application/json'
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body))
  const deadline = new AbortController()
  const timeoutError = new TimeoutError(request.timeoutMs)
  const timer = setTimeout(() => deadline.abort(timeoutError), request.timeoutMs)
  let tunnel: Duplex | undefined
  const common = { method: request.method, path: target.pathname + target.search, headers, signal: deadline.signal, ca: request.ca }
  try {
    if (!proxy) return await exchange(moduleFor(target), { ...endpoint(target), ...common }, body)
    if (target.protocol === 'http:') {
      // A forward proxy takes the absolute URI; Host names the target, not the proxy.
      const viaProxy = { ...common, path: target.origin + common.path, headers: { ...headers, Host: target.host, ...proxyAuthorization(proxy.url) } }
      const response = await exchange(moduleFor(proxy.url), { ...endpoint(proxy.url), ...viaProxy }, body)
      if (response.status === 407) throw proxyRefused(proxy, 407)
      return response
    }
    tunnel = await openTunnel(proxy, target, deadline.signal, request.ca)
    const tlsOptions = { socket: tunnel, host: endpoint(target).hostname, servername: serverName(target), ca: request.ca }
    return await exchange(https, { ...endpoint(target), ...common, createConnection: () => tls.connect(tlsOptions) }, body)
  } catch (error) {
    throw deadline.signal.aborted ? timeoutError : error
  } finally {
    clearTimeout(timer)
    // The TLS socket closes the tunnel with it, but a request node refuses before connecting (an invalid header) never
    // makes one; a tunnel serves one exchange only.
    tunnel?.destroy()
  }
}

/**
 * The proxy for a URL, decided as @actions/http-client's lib/proxy.js does: https_proxy/HTTPS_PROXY for https,
 * http_proxy/HTTP_PROXY for http (lower case first), none when bypassesProxy says so. One difference: a value
 * without a scheme ("proxy:3128") is taken as http://proxy:3128, as curl does (http-client silently goes direct).
 */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): HttpProxy | undefined {
  if (bypassesProxy(target, env.no_proxy || env.NO_PROXY || '')) return undefined
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY']
  const variable = names.find(candidate => env[candidate])
  if (!variable) return undefined
  const value = env[variable] as string
  // The value is never quoted: it may carry the proxy's credentials.
  let url: URL
  try {
    url = new URL(value.includes('://') ? value : `http://${value}`)
  } catch {
    throw new ProxyError(`Environment variable '${variable}' is not a proxy URL (expected http://host:port)`, variable, false)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyError(`Environment variable '${variable}' names a ${url.protocol} proxy; only http:// and https:// proxies are supported`, variable, false)
  }
  return { url, variable }
}

/**
 * True when a URL goes direct, as in @actions/http-client: always for loopback hosts (localhost, 127.*, [::1]),
 * so a proxy can never be tested with a 127.0.0.1 target — tests use a reserved name (sentry.test) that only
 * their proxy resolves. Otherwise per no_proxy: `*`, a host, a suffix (`example.com` or `.example.com` matches
 * sub.example.com), or host:port; case-insensitive, comma-separated.
 */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.toUpperCase()
  if (host === 'LOCALHOST' || host.startsWith('127.') || host.startsWith('[::1]') || host.startsWith('[0:0:0:0:0:0:0:1]')) return true
  const hosts = [host, `${host}:${target.port || defaultPort(target)}`]
  return noProxy
    .split(',')
    .map(item => item.trim().toUpperCase())
    .filter(item => item)
    .some(item => item === '*' || hosts.some(candidate => candidate === item || candidate.endsWith(`.${item}`) || (item.startsWith('.') && candidate.endsWith(item))))
}

/** Asks the proxy for a raw TCP tunnel to the target (HTTP CONNECT); TLS to the target then runs inside it. */
function openTunnel(proxy: HttpProxy, target: URL, signal: AbortSignal, ca?: string): Promise<Duplex> {
  const authority = `${target.hostname}:${target.port || defaultPort(target)}`
  const headers = { Host: authority, ...proxyAuthorization(proxy.url) }
  return new Promise((resolve, reject) => {
    const request = moduleFor(proxy.url).request({ ...endpoint(proxy.url), method: 'CONNECT', path: authority, headers, signal, ca, agent: false })
    request.on('connect', (response: http.IncomingMessage, socket: Duplex) => {
      if (response.statusCode === 200) return resolve(socket)
      socket.destroy()
      reject(proxyRefused(proxy, response.statusCode ?? 0, `${response.statusMessage} to CONNECT ${authority}`))
    })
    request.on('error', reject)
    request.end()
  })
}

/**
 * A proxy's refusal. Wrong credentials (407) or a policy (403) stay so on a retry; the proxy's own trouble
 * reaching the target (5xx) may not. `answer` describes any status but 407.
 */
function proxyRefused(proxy: HttpProxy, status: number, answer = ''): ProxyError {
  const refusal = status === 407 ? 'refused the credentials (407)' : `answered ${status} ${answer}`
  return new ProxyError(`the proxy ${proxy.url.host} ${refusal}`, proxy.variable, status >= 500)
}

function exchange(module: typeof http | typeof https, options: https.RequestOptions, body?: string | Buffer): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = module.request(options, response => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', reject)
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    request.on('error', reject)
    request.end(body)
  })
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username && !proxy.password) return {}
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`
  return { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` }
}

// Never the URL object itself: node would turn a proxy URL's credentials into an Authorization header.
function endpoint(url: URL): { hostname: string; port: number } {
  return { hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) || defaultPort(url) }
}

// SNI carries names only (RFC 6066); an IP target is still verified, through `host`.
function serverName(url: URL): string | undefined {
  const { hostname } = endpoint(url)
  return isIP(hostname) ? undefined : hostname
}

function defaultPort(url: URL): number {
  return url.protocol === 'https:' ? 443 : 80
}

function moduleFor(url: URL): typeof http | typeof https {
  return url.protocol === 'https:' ? https : http
}
