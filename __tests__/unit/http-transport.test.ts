import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo } from 'node:net'
import * as net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { promisify } from 'node:util'
import { MAX_RESPONSE_BYTES, ProxyError, proxyFor, ResponseTooLargeError, sendRequest, userAgent } from '../../src/io/http-transport.js'

// Loopback hosts never go through a proxy (@actions/http-client's rule), so proxied requests name the target
// sentry.test (a reserved TLD), which only the test proxy resolves, to 127.0.0.1. proxyFor reads the proxy
// variables from process.env, as @actions/http-client does: each test sets them and afterEach restores them.
const PROXIED_HOST = 'sentry.test'
const PROXY_AUTH = `Basic ${Buffer.from('user:p@ss').toString('base64')}`

let dir: string
let ca: string
let origin: http.Server
let secureOrigin: https.Server
let proxy: http.Server
let secureProxy: https.Server
let originPort: number
let securePort: number
let proxyPort: number
let secureProxyPort: number
/** The proxy's tunnel sockets: a server's close() does not track connections taken over by CONNECT. */
const tunnels = new Set<net.Socket>()
/** What the proxy was asked, in order: `METHOD target host proxy-authorization`. */
let proxySaw: string[]

/**
 * Answers with what it received; /hang never answers, /trickle never ends, /drop and /truncated cut the connection;
 * /declared-large declares one byte over the cap, /at-cap sends exactly the cap, /endless streams 64 KiB chunks for ever.
 */
function originHandler(request: http.IncomingMessage, response: http.ServerResponse): void {
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    if (request.url === '/hang') return
    if (request.url === '/drop') {
      request.socket.destroy()
    } else if (request.url === '/trickle') {
      response.writeHead(200, { 'Content-Type': 'text/plain' })
      const timer = setInterval(() => response.write('.'), 50)
      response.on('close', () => clearInterval(timer))
    } else if (request.url === '/truncated') {
      response.writeHead(200, { 'Content-Length': '100' })
      response.write('0123456789', () => request.socket.destroy())
    } else if (request.url === '/declared-large') {
      response.writeHead(200, { 'Content-Length': String(MAX_RESPONSE_BYTES + 1) })
      response.write('{')
    } else if (request.url === '/at-cap') {
      response.end(Buffer.alloc(MAX_RESPONSE_BYTES, 'x'))
    } else if (request.url === '/endless') {
      response.writeHead(200, { 'Content-Type': 'application/json' })
      endless(response)
    } else if (request.url === '/busy') {
      response.writeHead(503, { 'Retry-After': '7' }).end('{"detail":"busy"}')
    } else {
      echo(request, response, Buffer.concat(chunks).toString('utf8'))
    }
  })
}

/** Writes 64 KiB chunks as fast as the client reads them, until the connection closes; counts what was written. */
let endlessWritten = 0
function endless(response: http.ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, ' ')
  const more = (): void => {
    while (!response.destroyed && response.write(chunk)) endlessWritten += chunk.length
  }
  response.on('drain', more)
  more()
}

function echo(request: http.IncomingMessage, response: http.ServerResponse, body: string): void {
  const { method, url, headers } = request
  const servername = (request.socket as TLSSocket).servername ?? null
  response.writeHead(200, { 'Content-Type': 'application/json' })
  response.end(JSON.stringify({ method, url, headers, body, servername }))
}

/** A forward proxy (absolute URIs) and CONNECT tunnel that requires PROXY_AUTH and sends everything to 127.0.0.1. */
function proxyServer<Server extends http.Server>(create: (handler: http.RequestListener) => Server): Server {
  const server = create((request, response) => {
    const auth = request.headers['proxy-authorization']
    proxySaw.push(`${request.method} ${request.url} ${request.headers.host} ${auth}`)
    if (auth !== PROXY_AUTH) {
      response.writeHead(407).end()
      return
    }
    const target = new URL(request.url ?? '')
    const headers = { ...request.headers }
    delete headers['proxy-authorization']
    const upstream = http.request(
      { host: '127.0.0.1', port: target.port, method: request.method, path: target.pathname + target.search, headers },
      answer => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      }
    )
    request.pipe(upstream)
  })
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const auth = request.headers['proxy-authorization']
    proxySaw.push(`CONNECT ${request.url} ${request.headers.host} ${auth}`)
    if (auth !== PROXY_AUTH) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n')
      return
    }
    const upstream = net.connect(Number(request.url?.split(':').pop()), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client).pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      tunnels.add(socket)
      socket.on('close', () => tunnels.delete(socket))
    }
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  return server
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
}

async function openConnections(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))))
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'http-transport-test-'))
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')]
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${PROXIED_HOST}`,
    '-addext',
    `subjectAltName=DNS:${PROXIED_HOST},IP:127.0.0.1`,
    '-keyout',
    key,
    '-out',
    cert
  ])
  ca = await readFile(cert, 'utf8')
  origin = http.createServer(originHandler)
  const tlsKey = await readFile(key)
  secureOrigin = https.createServer({ key: tlsKey, cert: ca }, originHandler)
  proxy = proxyServer(handler => http.createServer(handler))
  secureProxy = proxyServer(handler => https.createServer({ key: tlsKey, cert: ca }, handler))
  ;[originPort, securePort, proxyPort, secureProxyPort] = await Promise.all([origin, secureOrigin, proxy, secureProxy].map(listen))
})

afterAll(async () => {
  tunnels.forEach(socket => socket.destroy())
  await Promise.all([origin, secureOrigin, proxy, secureProxy].map(close))
  await rm(dir, { recursive: true, force: true })
})

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY']
const savedProxyEnv = Object.fromEntries(PROXY_VARIABLES.map(name => [name, process.env[name]]))

/** Sets exactly these proxy variables (the others unset) for the rest of the test. */
function proxyEnv(env: Record<string, string>): void {
  for (const name of PROXY_VARIABLES) {
    if (env[name] === undefined) delete process.env[name]
    else process.env[name] = env[name]
  }
}

beforeEach(() => {
  proxySaw = []
  proxyEnv({})
})
afterEach(() => {
  for (const [name, value] of Object.entries(savedProxyEnv)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

const bearer = { Authorization: 'Bearer sntrys_secret', 'User-Agent': 'sentry-release-action/test' }

describe('sendRequest, direct', () => {
  test('sends JSON with its length and the caller headers; answers with status, headers and body text', async () => {
    const url = `http://127.0.0.1:${originPort}/api/0/organizations/acme/releases/?x=1`
    const answer = await sendRequest({ method: 'POST', url, headers: bearer, json: { version: 'v1 ✓' }, timeoutMs: 2000 })
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toBe('application/json')
    const seen = JSON.parse(answer.body)
    expect(seen).toMatchObject({
      method: 'POST',
      url: '/api/0/organizations/acme/releases/?x=1',
      body: '{"version":"v1 ✓"}',
      servername: null
    })
    expect(seen.headers).toMatchObject({
      authorization: 'Bearer sntrys_secret',
      'user-agent': 'sentry-release-action/test',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength('{"version":"v1 ✓"}')),
      host: `127.0.0.1:${originPort}`
    })
  })

  test('a GET without json sends no body and no content type', async () => {
    const answer = await sendRequest({ method: 'GET', url: `http://127.0.0.1:${originPort}/x`, timeoutMs: 2000 })
    const seen = JSON.parse(answer.body)
    expect([seen.method, seen.body, seen.headers['content-type'], seen.headers['content-length']]).toEqual([
      'GET',
      '',
      undefined,
      undefined
    ])
  })

  test('an error status is an answer, not a rejection', async () => {
    const answer = await sendRequest({ method: 'PUT', url: `http://127.0.0.1:${originPort}/busy`, json: {}, timeoutMs: 2000 })
    expect([answer.status, answer.headers['retry-after'], answer.body]).toEqual([503, '7', '{"detail":"busy"}'])
  })

  test('a server that never answers: rejects at the deadline with a clear message', async () => {
    const started = Date.now()
    await expect(sendRequest({ method: 'GET', url: `http://127.0.0.1:${originPort}/hang`, timeoutMs: 300 })).rejects.toThrow(
      new Error('Request timeout: no answer within 0.3 s')
    )
    expect(Date.now() - started).toBeLessThan(2000)
  })

  test('the deadline covers the whole body, even one that keeps the socket busy', async () => {
    await expect(sendRequest({ method: 'GET', url: `http://127.0.0.1:${originPort}/trickle`, timeoutMs: 400 })).rejects.toThrow(
      'Request timeout: no answer within 0.4 s'
    )
  })

  test('an answer over the cap: refused by its Content-Length before reading, else as soon as the cap is passed', async () => {
    const url = (path: string) => `http://127.0.0.1:${originPort}${path}`
    await expect(sendRequest({ method: 'GET', url: url('/declared-large'), timeoutMs: 2000 })).rejects.toThrow(
      new ResponseTooLargeError(MAX_RESPONSE_BYTES)
    )
    endlessWritten = 0
    const started = Date.now()
    const endlessAnswer = sendRequest({ method: 'GET', url: url('/endless'), timeoutMs: 20_000 })
    await expect(endlessAnswer).rejects.toThrow('the answer is larger than 4 MiB, the most that is read')
    expect(Date.now() - started).toBeLessThan(5000)
    // The connection was closed: the server could not write much beyond the cap (socket buffers aside).
    expect(endlessWritten).toBeLessThan(MAX_RESPONSE_BYTES + 8 * 1024 * 1024)
    const atCap = await sendRequest({ method: 'GET', url: url('/at-cap'), timeoutMs: 5000 })
    expect(atCap.body.length).toBe(MAX_RESPONSE_BYTES)
  })

  test('a dropped connection rejects with the network error', async () => {
    await expect(
      sendRequest({ method: 'POST', url: `http://127.0.0.1:${originPort}/drop`, json: {}, timeoutMs: 2000 })
    ).rejects.toMatchObject({
      code: 'UND_ERR_SOCKET'
    })
  })

  test('a connection cut in the middle of the body rejects rather than answering half a body', async () => {
    await expect(sendRequest({ method: 'GET', url: `http://127.0.0.1:${originPort}/truncated`, timeoutMs: 2000 })).rejects.toMatchObject({
      code: 'UND_ERR_SOCKET'
    })
  })

  test('a closed port rejects with ECONNREFUSED', async () => {
    const closed = http.createServer()
    const port = await listen(closed)
    await close(closed)
    await expect(sendRequest({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 2000 })).rejects.toMatchObject({
      code: 'ECONNREFUSED'
    })
  })

  test('https verifies the certificate: trusted with its CA, refused without', async () => {
    const url = `https://127.0.0.1:${securePort}/echo`
    const answer = await sendRequest({ method: 'GET', url, timeoutMs: 2000, ca })
    expect([answer.status, JSON.parse(answer.body).servername]).toEqual([200, false])
    await expect(sendRequest({ method: 'GET', url, timeoutMs: 2000 })).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })
  })
})

describe('sendRequest through a proxy', () => {
  const env = (): Record<string, string> => ({
    http_proxy: `http://user:p%40ss@127.0.0.1:${proxyPort}`,
    HTTPS_PROXY: `http://user:p%40ss@127.0.0.1:${proxyPort}`
  })
  /** The proxy the client would work out for a URL with these proxy variables. */
  const via = (url: string, environment = env()) => {
    proxyEnv(environment)
    return proxyFor(new URL(url))
  }

  test('http: the absolute URI to the proxy with Proxy-Authorization; the target keeps its own Authorization', async () => {
    const target = `${PROXIED_HOST}:${originPort}`
    const url = `http://${target}/api/0/x/?a=b`
    const answer = await sendRequest({ method: 'PUT', url, headers: bearer, json: { a: 1 }, timeoutMs: 2000, proxy: via(url) })
    expect(proxySaw).toEqual([`PUT http://${target}/api/0/x/?a=b ${target} ${PROXY_AUTH}`])
    const seen = JSON.parse(answer.body)
    expect([seen.method, seen.url, seen.body, seen.headers.host, seen.headers.authorization]).toEqual([
      'PUT',
      '/api/0/x/?a=b',
      '{"a":1}',
      target,
      'Bearer sntrys_secret'
    ])
  })

  test('https: a CONNECT tunnel, then TLS to the target with its name as SNI and verified', async () => {
    const target = `${PROXIED_HOST}:${securePort}`
    const url = `https://${target}/api/0/y/`
    const answer = await sendRequest({ method: 'POST', url, headers: bearer, json: [1], timeoutMs: 2000, proxy: via(url), ca })
    expect(proxySaw).toEqual([`CONNECT ${target} ${target} ${PROXY_AUTH}`])
    const seen = JSON.parse(answer.body)
    expect([answer.status, seen.method, seen.url, seen.body, seen.servername, seen.headers.host, seen.headers.authorization]).toEqual([
      200,
      'POST',
      '/api/0/y/',
      '[1]',
      PROXIED_HOST,
      target,
      'Bearer sntrys_secret'
    ])
    expect(seen.headers['proxy-authorization']).toBeUndefined()
  })

  test('an https:// proxy: TLS to the proxy, then the tunnel and TLS to the target inside it', async () => {
    const target = `${PROXIED_HOST}:${securePort}`
    const url = `https://${target}/z`
    const proxy = via(url, { https_proxy: `https://user:p%40ss@127.0.0.1:${secureProxyPort}` })
    const answer = await sendRequest({ method: 'GET', url, timeoutMs: 2000, proxy, ca })
    expect(proxySaw).toEqual([`CONNECT ${target} ${target} ${PROXY_AUTH}`])
    expect([answer.status, JSON.parse(answer.body).url]).toEqual([200, '/z'])
  })

  test('https: the certificate is still checked inside the tunnel', async () => {
    const url = `https://${PROXIED_HOST}:${securePort}/`
    await expect(sendRequest({ method: 'GET', url, timeoutMs: 2000, proxy: via(url) })).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT'
    })
  })

  // Wrong credentials stay wrong: not worth a retry, and the message names the variable, never the credentials.
  test.each([
    ['https: the CONNECT', 'https_proxy', () => `https://${PROXIED_HOST}:${securePort}/`],
    ['http: the forwarded request', 'http_proxy', () => `http://${PROXIED_HOST}:${originPort}/`]
  ])('%s answered 407: a ProxyError naming the variable', async (_, variable, target) => {
    const url = target()
    const proxy = via(url, { [variable]: `http://user:wrong@127.0.0.1:${proxyPort}` })
    const refusal = sendRequest({ method: 'GET', url, timeoutMs: 2000, proxy, ca })
    await expect(refusal).rejects.toThrow(new ProxyError(`the proxy 127.0.0.1:${proxyPort} refused the credentials (407)`, variable, false))
    await expect(refusal).rejects.toMatchObject({ variable, retryable: false })
  })

  test.each([
    [502, 'Bad Gateway', true],
    [403, 'Forbidden', false]
  ])("a tunnel refused with %i: a ProxyError, retryable only for the proxy's own trouble (5xx)", async (status, text, retryable) => {
    const refusing = http.createServer()
    refusing.on('connect', (_: http.IncomingMessage, socket: net.Socket) => socket.end(`HTTP/1.1 ${status} ${text}\r\n\r\n`))
    const port = await listen(refusing)
    const url = `https://${PROXIED_HOST}:${securePort}/`
    const refusal = sendRequest({ method: 'GET', url, timeoutMs: 2000, proxy: via(url, { https_proxy: `http://127.0.0.1:${port}` }), ca })
    await expect(refusal).rejects.toThrow(
      new ProxyError(
        `the proxy 127.0.0.1:${port} answered ${status} ${text} to CONNECT ${PROXIED_HOST}:${securePort}`,
        'https_proxy',
        retryable
      )
    )
    await expect(refusal).rejects.toMatchObject({ variable: 'https_proxy', retryable })
    await close(refusing)
  })

  test('the deadline holds through a tunnel and closes it', async () => {
    const url = `https://${PROXIED_HOST}:${securePort}/hang`
    const before = await openConnections(secureOrigin) // earlier direct requests may leave keep-alive sockets
    await expect(sendRequest({ method: 'GET', url, timeoutMs: 400, proxy: via(url), ca })).rejects.toThrow(
      'Request timeout: no answer within 0.4 s'
    )
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(await openConnections(secureOrigin)).toBe(before)
  })

  test('a request refused before sending (a header HTTP forbids) leaves no tunnel open', async () => {
    const url = `https://${PROXIED_HOST}:${securePort}/`
    const before = await openConnections(secureOrigin)
    const headers = { Authorization: 'Bearer a\nb' }
    await expect(sendRequest({ method: 'GET', url, headers, timeoutMs: 2000, proxy: via(url), ca })).rejects.toMatchObject({
      code: 'UND_ERR_INVALID_ARG',
      message: 'invalid Authorization header'
    })
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(await openConnections(secureOrigin)).toBe(before)
  })

  test('no_proxy sends a matching host direct', async () => {
    const url = `http://${PROXIED_HOST}:${originPort}/`
    // Direct means resolving sentry.test, which fails: the proxy was not asked.
    await expect(
      sendRequest({ method: 'GET', url, timeoutMs: 2000, proxy: via(url, { ...env(), no_proxy: '.test' }) })
    ).rejects.toMatchObject({
      code: 'ENOTFOUND'
    })
    expect(proxySaw).toEqual([])
  })
})

describe("proxyFor: the runner's proxy rules, as @actions/http-client reads them", () => {
  const https = new URL('https://sentry.example.com/api/0/')
  const plain = new URL('http://sentry.example.com/api/0/')
  const proxyOf = (url: URL, env: Record<string, string>) => {
    proxyEnv(env)
    return proxyFor(url)
  }

  test.each([
    [
      'https_proxy for https, lower case first',
      https,
      { https_proxy: 'http://low:1', HTTPS_PROXY: 'http://up:2', http_proxy: 'http://h:3' },
      'https_proxy',
      'http://low:1/'
    ],
    ['an empty https_proxy falls to HTTPS_PROXY', https, { https_proxy: '', HTTPS_PROXY: 'http://up:2' }, 'HTTPS_PROXY', 'http://up:2/'],
    ['http_proxy for http', plain, { https_proxy: 'http://s:1', http_proxy: 'http://h:3' }, 'http_proxy', 'http://h:3/'],
    ['HTTP_PROXY for http', plain, { HTTP_PROXY: 'https://h:3' }, 'HTTP_PROXY', 'https://h:3/'],
    ['an address without a scheme is http', https, { https_proxy: '10.0.0.1:3128' }, 'https_proxy', 'http://10.0.0.1:3128/'],
    ['no_proxy not matching', https, { https_proxy: 'http://s:1', no_proxy: 'other.org,example.com:8443' }, 'https_proxy', 'http://s:1/']
  ])('%s', (_, url, env, variable, href) => {
    expect(proxyOf(url, env)).toEqual({ url: expect.objectContaining({ href }), variable })
  })

  test('credentials reach the proxy decoded, and only as Proxy-Authorization', () => {
    const proxy = proxyOf(https, { https_proxy: 'http://u:p%40w@proxy:1' })
    expect([proxy?.url.username, proxy?.url.password, proxy?.url.host]).toEqual(['u', 'p@w', 'proxy:1'])
  })

  test.each([
    ['no proxy variable for the scheme', plain, { https_proxy: 'http://s:1' }],
    ['nothing set', https, {}],
    ['no_proxy names the host', https, { https_proxy: 'http://s:1', no_proxy: 'sentry.example.com' }],
    ['no_proxy names a parent domain', https, { https_proxy: 'http://s:1', no_proxy: 'other.org, example.com' }],
    ['no_proxy names host and port', https, { https_proxy: 'http://s:1', no_proxy: 'SENTRY.example.com:443' }],
    ['NO_PROXY when no_proxy is unset', https, { https_proxy: 'http://s:1', NO_PROXY: '*' }],
    ['a loopback target', new URL('http://127.0.0.1:9000/'), { http_proxy: 'http://h:3' }],
    ['localhost', new URL('http://localhost:9000/'), { http_proxy: 'http://h:3' }]
  ])('direct: %s', (_, url, env) => {
    expect(proxyOf(url, env)).toBeUndefined()
  })

  // @actions/http-client would go direct without a word for these: the run fails instead, naming the variable.
  test('a proxy that is not a usable URL: a ProxyError naming the variable, not its value, that no retry fixes', () => {
    expect(() => proxyOf(https, { HTTPS_PROXY: 'http://user:secret@[bad' })).toThrow(
      new ProxyError("Environment variable 'HTTPS_PROXY' is not a proxy URL (expected http://host:port)", 'HTTPS_PROXY', false)
    )
    expect(() => proxyOf(https, { https_proxy: 'socks5://proxy:1080' })).toThrow(
      new ProxyError(
        "Environment variable 'https_proxy' names a socks5: proxy; only http:// and https:// proxies are supported",
        'https_proxy',
        false
      )
    )
    const unusable = expect.objectContaining({ variable: 'https_proxy', retryable: false })
    expect(() => proxyOf(https, { https_proxy: 'proxy.corp:3128' })).toThrow(unusable)
    expect(() => proxyOf(https, { https_proxy: 'http://' })).toThrow(unusable)
  })
})

describe('userAgent', () => {
  test("the product, with the runner's orchestration id as @actions/http-client adds it", () => {
    const saved = process.env.ACTIONS_ORCHESTRATION_ID
    try {
      delete process.env.ACTIONS_ORCHESTRATION_ID
      expect(userAgent('sentry-release-action/1.0.0')).toBe('sentry-release-action/1.0.0')
      process.env.ACTIONS_ORCHESTRATION_ID = 'run/42:a'
      expect(userAgent('sentry-release-action/1.0.0')).toBe('sentry-release-action/1.0.0 actions_orchestration_id/run_42_a')
    } finally {
      if (saved === undefined) delete process.env.ACTIONS_ORCHESTRATION_ID
      else process.env.ACTIONS_ORCHESTRATION_ID = saved
    }
  })
})
