// One HTTP(S) exchange through the toolkit: the proxy is the one the runner's rules pick (@actions/http-client's
// getProxyUrl and checkBypass: https_proxy, http_proxy, no_proxy, loopback always direct), and the request goes
// out over the undici that @actions/http-client carries (its ProxyAgent: a CONNECT tunnel for https, a forwarded
// absolute-URI request for plain http). What stays ours: the deadline over the whole exchange, a cap on what is read
// of an answer, and errors in words that name the setting to check. A custom CA comes from NODE_EXTRA_CA_CERTS, which node's TLS honours by
// itself: production passes no `ca`.
import { HttpClient } from '@actions/http-client'
import { checkBypass, getProxyUrl } from '@actions/http-client/lib/proxy'
import { STATUS_CODES } from 'node:http'
import { Readable } from 'node:stream'
import { Agent, buildConnector, type Dispatcher, ProxyAgent, request as undiciRequest } from 'undici'

export interface HttpRequest {
  method: string
  url: string
  headers?: Record<string, string>
  /** Sent as JSON (with Content-Type and Content-Length); no body when undefined. */
  json?: unknown
  /**
   * Sent as is, with Content-Length (the caller sets Content-Type); instead of json. Parts are sent one after another,
   * never joined into one copy (a multipart body of megabytes).
   */
  body?: Buffer | Buffer[]
  /** Deadline for the whole exchange: connecting, the proxy, TLS, the answer and its body. */
  timeoutMs: number
  /** The proxy to go through, from proxyFor; undefined: direct. */
  proxy?: HttpProxy
  /** Tests only: the one CA to trust. It replaces node's store, NODE_EXTRA_CA_CERTS included. */
  ca?: string
  /** One of several requests in flight at once (chunk uploads): they share a pool that opens a connection each. */
  concurrent?: boolean
}

export interface HttpResponse {
  status: number
  /** Header names in lower case; a repeated header's values joined with ', '. */
  headers: Record<string, string>
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

/**
 * The most of an answer's body that is read, for every caller: Sentry's largest answers (a release with its projects
 * and authors) are far smaller.
 */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024

/** The answer's body is larger than MAX_RESPONSE_BYTES: it was not read beyond that. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the answer is larger than ${limitBytes / 1024 / 1024} MiB, the most that is read`)
    this.name = 'ResponseTooLargeError'
  }
}

/** The User-Agent as @actions/http-client sends it: the product, plus the runner's orchestration id when it gives one. */
export function userAgent(product: string): string {
  return new HttpClient(product).userAgent ?? product
}

/**
 * Sends one request and resolves with the answer whatever its status; rejects on network errors, the deadline and an
 * answer larger than MAX_RESPONSE_BYTES.
 */
export async function sendRequest(request: HttpRequest): Promise<HttpResponse> {
  const parts = request.body
  const headers: Record<string, string> =
    request.json === undefined ? { ...request.headers } : { ...request.headers, 'Content-Type': 'application/json' }
  // Parts are streamed (a new stream per attempt), with their length said, so the body is not sent chunked.
  if (Array.isArray(parts)) headers['Content-Length'] = String(parts.reduce((sum, part) => sum + part.length, 0))
  const body = Array.isArray(parts)
    ? Readable.from(parts)
    : (parts ?? (request.json === undefined ? undefined : JSON.stringify(request.json)))
  const deadline = new AbortController()
  const timeoutError = new TimeoutError(request.timeoutMs)
  const timer = setTimeout(() => deadline.abort(timeoutError), request.timeoutMs)
  try {
    const dispatcher = dispatcherFor(request.proxy, request.ca, request.concurrent === true)
    const method = request.method as Dispatcher.HttpMethod
    const response = await undiciRequest(request.url, { method, headers, body, signal: deadline.signal, dispatcher })
    // The body is read inside the deadline (a server that trickles it is cut off like one that never answers) and up to
    // the cap (one that never ends, or sends hundreds of megabytes, is cut off there).
    const text = await boundedText(response.body, Number(response.headers['content-length']), MAX_RESPONSE_BYTES)
    return { status: response.statusCode, headers: flatHeaders(response.headers), body: text }
  } catch (error) {
    if (deadline.signal.aborted) throw timeoutError
    throw (request.proxy && proxyRefusal(error as Error, request.proxy, new URL(request.url))) || error
  } finally {
    clearTimeout(timer)
  }
}

/** The body as text, refused before reading when its Content-Length is over `max`, else as soon as more than `max` bytes came. */
async function boundedText(body: Dispatcher.ResponseData['body'], declaredLength: number, max: number): Promise<string> {
  if (declaredLength > max) {
    // Closing the body ends the connection; the abort error it emits is the one thrown here.
    body.on('error', ignore).destroy()
    throw new ResponseTooLargeError(max)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > max) {
      body.on('error', ignore).destroy()
      throw new ResponseTooLargeError(max)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The proxy for a URL as the runner's rules pick it (@actions/http-client: https_proxy/HTTPS_PROXY for https,
 * http_proxy/HTTP_PROXY for http, lower case first; none for loopback hosts or a no_proxy match). Where
 * http-client would silently go direct because the value is not a usable http(s) URL, this throws a ProxyError
 * naming the variable (never its value: it may carry credentials).
 */
export function proxyFor(target: URL): HttpProxy | undefined {
  if (checkBypass(target)) return undefined
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY']
  const variable = names.find(name => process.env[name])
  if (!variable) return undefined
  const url = getProxyUrl(target)
  if (url?.hostname && (url.protocol === 'http:' || url.protocol === 'https:')) return { url, variable }
  const scheme = /^([a-z][a-z\d+.-]*):\/\//i.exec(process.env[variable] ?? '')?.[1]
  if (scheme && !/^https?$/i.test(scheme)) {
    const rule = `names a ${scheme}: proxy; only http:// and https:// proxies are supported`
    throw new ProxyError(`Environment variable '${variable}' ${rule}`, variable, false)
  }
  throw new ProxyError(`Environment variable '${variable}' is not a proxy URL (expected http://host:port)`, variable, false)
}

// One dispatcher per proxy (or none), CA and kind: a run's requests share its connections, as a keep-alive agent does.
// The release calls go one after another over one connection per origin: undici would otherwise open a second one for
// a request sent in the same tick as the previous answer's last byte, before that connection counts as free again,
// and on a real network each new connection costs a TCP and TLS handshake (docs/performance.md). Concurrent chunk
// uploads get a pool of their own.
const dispatchers = new Map<string, Dispatcher>()

function dispatcherFor(proxy: HttpProxy | undefined, ca: string | undefined, concurrent: boolean): Dispatcher {
  const key = `${proxy?.url.href ?? ''} ${ca ?? ''} ${concurrent}`
  let dispatcher = dispatchers.get(key)
  if (!dispatcher) {
    const connections = concurrent ? null : 1
    dispatcher = proxy
      ? proxyAgent(proxy.url, ca, connections)
      : new Agent({ connections, connect: concurrent ? connectOptions(ca) : connectorFor(ca) })
    dispatchers.set(key, dispatcher)
  }
  return dispatcher
}

const connectOptions = (ca: string | undefined): buildConnector.BuildOptions => (ca === undefined ? {} : { ca })

/**
 * The longest a connection opened ahead (preconnect) waits for its first request. Servers and proxies close a connection
 * that carries nothing after a while (60 s is common, 10 s in some proxies' defaults); well below that, a request never
 * meets one closing.
 */
export const PRECONNECT_MAX_AGE_MS = 5000

/** A connected socket as undici's connector hands it over (TCP, or TLS on top of it). */
type Socket = NonNullable<Parameters<buildConnector.Callback>[1]>

interface OpenedAhead {
  origin: string
  socket: Promise<Socket>
  /** Date.now() after which it is not used. */
  expiresAt: number
}

// Connections opened ahead, by CA, each waiting for the first request to its origin.
const openedAhead = new Map<string, OpenedAhead>()

// undici's connector (what an Agent builds from these options), one per CA, shared by preconnect and the release calls'
// Agent: a TLS session from the connection opened ahead is resumed by a later one.
const connectors = new Map<string, buildConnector.connector>()

function sharedConnector(ca: string | undefined): buildConnector.connector {
  let connect = connectors.get(ca ?? '')
  if (!connect) connectors.set(ca ?? '', (connect = buildConnector(connectOptions(ca))))
  return connect
}

/**
 * undici's own connector, except that the first connection to an origin opened ahead by preconnect is handed over
 * instead of a new one, if it is still open and young enough. As undici does before reusing an idle connection, the
 * check waits a turn of the event loop, so a close or stray bytes the server already sent are seen first.
 */
function connectorFor(ca: string | undefined): buildConnector.connector {
  const connect = sharedConnector(ca)
  const key = ca ?? ''
  return (options, callback) => {
    const ahead = openedAhead.get(key)
    if (!ahead || ahead.origin !== originOf(options)) return connect(options, callback)
    openedAhead.delete(key)
    ahead.socket.then(
      socket =>
        setImmediate(() => {
          if (socket.destroyed || socket.readyState !== 'open' || Date.now() > ahead.expiresAt) {
            socket.destroy()
            return connect(options, callback)
          }
          socket.off('error', ignore).ref()
          callback(null, socket)
        }),
      // Opening it failed: a new attempt, whose error (if it fails again) is the request's.
      () => connect(options, callback)
    )
  }
}

/** A URL's port, the scheme's default when it names none. */
function portOf({ protocol, port }: { protocol: string; port: string }): string {
  return port || (protocol === 'https:' ? '443' : '80')
}

/** scheme://host:port, the host without an IPv6 literal's brackets (undici's client passes it so to the connector). */
function originOf(url: { protocol: string; hostname: string; port: string }): string {
  return `${url.protocol}//${unbracketed(url.hostname)}:${portOf(url)}`
}

const unbracketed = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1')

const ignore = (): void => {}

/**
 * Opens the connection the next request to `url`'s origin will use: its TCP and TLS handshakes run while the caller
 * does other work (git), and nothing is sent on it until that request. Direct connections only (a proxy, or a
 * proxy setting that cannot work, is left to the request). It never keeps the process alive, not even while it is
 * still connecting: a run that fails before its first request just ends. Unused after `maxAgeMs`, it is closed and a
 * new one is opened.
 */
export function preconnect(url: string, options: { ca?: string; maxAgeMs?: number } = {}): void {
  const target = new URL(url)
  try {
    if (proxyFor(target)) return
  } catch {
    return
  }
  const connect = sharedConnector(options.ca)
  const { protocol, host, port } = target
  const hostname = unbracketed(target.hostname)
  const socket = new Promise<Socket>((resolve, reject) => {
    // undici's connector returns the socket it is connecting (its type says void): unreferenced at once.
    const connecting = (connect as (...args: Parameters<buildConnector.connector>) => Socket | undefined)(
      { protocol, hostname, port, host },
      (error, opened) => (error || !opened ? reject(error) : resolve(opened))
    )
    connecting?.unref()
  })
  // Until it is handed over, errors (a reset, a refusal) only mean a new connection then.
  socket.then(opened => opened.on('error', ignore), ignore)
  const key = options.ca ?? ''
  openedAhead.get(key)?.socket.then(opened => opened.destroy(), ignore)
  const expiresAt = Date.now() + (options.maxAgeMs ?? PRECONNECT_MAX_AGE_MS)
  openedAhead.set(key, { origin: originOf(target), socket, expiresAt })
}

/**
 * undici's ProxyAgent as @actions/http-client builds it (getAgentDispatcher: Basic credentials from the URL's
 * decoded user and password), except that plain http is forwarded to the proxy as an absolute URI rather than
 * tunnelled (proxyTunnel: false), as proxies expect for http:// targets.
 */
function proxyAgent(url: URL, ca: string | undefined, connections: number | null): ProxyAgent {
  const token = url.username || url.password ? `Basic ${Buffer.from(`${url.username}:${url.password}`).toString('base64')}` : undefined
  const tls = connectOptions(ca)
  return new ProxyAgent({ uri: `${url.protocol}//${url.host}`, token, proxyTunnel: false, requestTls: tls, proxyTls: tls, connections })
}

// How undici reports a proxy's refusal: of a CONNECT (RequestAbortedError), and a 407 to a forwarded request.
const REFUSED_TUNNEL = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/
const REFUSED_FORWARD = /^Proxy Authentication Required \((407)\)$/

/**
 * A proxy's refusal as a ProxyError, else undefined. Wrong credentials (407) or a policy (403) stay so on a retry;
 * the proxy's own trouble reaching the target (5xx) may not.
 */
function proxyRefusal(error: Error, proxy: HttpProxy, target: URL): ProxyError | undefined {
  const [, code] = REFUSED_TUNNEL.exec(error.message) ?? REFUSED_FORWARD.exec(error.message) ?? []
  if (!code) return undefined
  const status = Number(code)
  const authority = `${target.hostname}:${portOf(target)}`
  // undici keeps the status only: the reason phrase is the standard one.
  const answer = `answered ${status} ${STATUS_CODES[status] ?? ''} to CONNECT ${authority}`
  const refusal = status === 407 ? 'refused the credentials (407)' : answer
  return new ProxyError(`the proxy ${proxy.url.host} ${refusal}`, proxy.variable, status >= 500)
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name.toLowerCase()] = [value].flat().join(', ')
  return flat
}
