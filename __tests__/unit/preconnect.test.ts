import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import * as http from 'node:http'
import * as https from 'node:https'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { AddressInfo } from 'node:net'
import * as net from 'node:net'
import type { TLSSocket } from 'node:tls'
import { preconnect, sendRequest } from '../../src/io/http-transport.js'
import { makeTestCa, type TestCa } from '../helpers/test-ca.js'

// preconnect opens the connection the run's first request to Sentry will use while git works, so that request does not
// wait for the TCP and TLS handshakes (one round trip each). What the server sees is what matters: when connections
// open, which carries which request, and that nothing is sent before the request itself.

interface Seen {
  /** Each connection by its client port, in the order accepted. */
  connections: number[]
  /** Each request as `METHOD path @port`. */
  requests: string[]
  /** Client ports of connections that closed. */
  closed: number[]
}

let testCa: TestCa
let ca: string
let plain: http.Server
let secure: https.Server
let seen: Seen
/** Connections the server closes as soon as it accepts them (a server or load balancer dropping idle ones). */
let dropNext = 0
/** Client sockets node created (net.connect), whether or not they connected: every connection attempt. */
let attempts = 0
const countAttempt = (): void => void attempts++

/**
 * Client sockets that keep the process alive (node lists a referenced socket as TCPSocketWrap, TLS ones too). The
 * servers' own sockets are unreferenced in watch(), so only the client's count.
 */
const holdingSockets = (): number => process.getActiveResourcesInfo().filter(name => name === 'TCPSocketWrap').length

function watch(server: net.Server): void {
  server.on('connection', (socket: net.Socket) => {
    socket.unref()
    const port = socket.remotePort ?? 0
    seen.connections.push(port)
    socket.on('close', () => seen.closed.push(port))
    if (dropNext > 0) {
      dropNext--
      socket.destroy()
    }
  })
}

/** Answers every request with 200 {"ok":true}; /slow after 200 ms. */
const handler: http.RequestListener = (request, response) => {
  seen.requests.push(`${request.method} ${request.url} @${request.socket.remotePort}`)
  const answer = () => response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}')
  request.resume().on('end', () => (request.url === '/slow' ? setTimeout(answer, 200) : answer()))
}

async function listen(server: net.Server, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>(resolve => server.listen(0, host, resolve))
  return String((server.address() as AddressInfo).port)
}

/** Waits until `check` holds (what a server sees arrives on its own time); fails after 2 s. */
async function until(check: () => boolean): Promise<void> {
  for (const started = Date.now(); !check(); await new Promise(resolve => setTimeout(resolve, 5))) {
    if (Date.now() - started > 2000) throw new Error('timed out waiting')
  }
}

let plainUrl: string
let secureUrl: string
beforeAll(async () => {
  subscribe('net.client.socket', countAttempt)
  testCa = await makeTestCa(['127.0.0.1'])
  ca = await readFile(testCa.caFile, 'utf8')
  plain = http.createServer(handler)
  secure = https.createServer(testCa.tls, handler)
  // A TLS server's 'connection' is the TCP one, as a client's handshake starts.
  ;[plain, secure].forEach(watch)
  plainUrl = `http://127.0.0.1:${await listen(plain)}`
  secureUrl = `https://127.0.0.1:${await listen(secure)}`
})

afterAll(async () => {
  for (const server of [plain, secure]) {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  }
  await testCa.remove()
  unsubscribe('net.client.socket', countAttempt)
})

beforeEach(() => {
  seen = { connections: [], requests: [], closed: [] }
  dropNext = 0
  attempts = 0
})
// Each test's connections end with it.
afterEach(() => [plain, secure].forEach(server => server.closeAllConnections()))

const get = (url: string, path: string, options: { ca?: string } = {}) =>
  sendRequest({ method: 'GET', url: `${url}${path}`, timeoutMs: 2000, ...options })

describe('preconnect', () => {
  test('http: the connection opens at once, carries nothing, and the requests that follow go over it', async () => {
    preconnect(plainUrl)
    await until(() => seen.connections.length === 1)
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(seen.requests).toEqual([])
    // Waiting, it does not keep the process alive: a run that fails before its first request just ends.
    expect(holdingSockets()).toBe(0)
    expect((await get(plainUrl, '/first')).status).toBe(200)
    expect((await get(plainUrl, '/second')).status).toBe(200)
    const [port] = seen.connections
    expect(seen).toEqual({ connections: [port], requests: [`GET /first @${port}`, `GET /second @${port}`], closed: [] })
    expect(attempts).toBe(1)
  })

  test('handed over, it keeps the process alive while a request is on its way, as undici expects of its sockets', async () => {
    preconnect(plainUrl)
    await until(() => seen.connections.length === 1)
    const slow = get(plainUrl, '/slow')
    await until(() => seen.requests.length === 1)
    expect(holdingSockets()).toBe(1)
    expect((await slow).status).toBe(200)
    expect(seen.requests).toEqual([`GET /slow @${seen.connections[0]}`])
  })

  test('still connecting (a TLS handshake the server never answers), it does not keep the process alive either', async () => {
    const accepted: net.Socket[] = []
    const silent = net.createServer(socket => accepted.push(socket.unref()))
    const port = await listen(silent)
    try {
      preconnect(`https://127.0.0.1:${port}`)
      await until(() => accepted.length === 1)
      await new Promise(resolve => setTimeout(resolve, 50))
      expect(holdingSockets()).toBe(0)
    } finally {
      // The attempt ends here (a reset), not at undici's 10 s connect timeout.
      accepted.forEach(socket => socket.destroy())
      await new Promise(resolve => silent.close(resolve))
    }
  })

  test('an IPv6 literal: the connection opened ahead is the one the request uses', async () => {
    const ipv6 = http.createServer(handler)
    watch(ipv6)
    const url = `http://[::1]:${await listen(ipv6, '::1')}`
    try {
      preconnect(url)
      await until(() => seen.connections.length === 1)
      expect((await get(url, '/v6')).status).toBe(200)
      expect(seen.requests).toEqual([`GET /v6 @${seen.connections[0]}`])
      expect(attempts).toBe(1)
    } finally {
      ipv6.closeAllConnections()
      await new Promise(resolve => ipv6.close(resolve))
    }
  })

  test('https: the handshake is done ahead with the same certificate check, and the request uses that connection', async () => {
    preconnect(secureUrl, { ca })
    await until(() => seen.connections.length === 1)
    expect((await get(secureUrl, '/tls', { ca })).status).toBe(200)
    expect(seen.requests).toEqual([`GET /tls @${seen.connections[0]}`])
    expect(seen.connections).toHaveLength(1)
  })

  test('a later connection to the same origin resumes the TLS session of the one opened ahead', async () => {
    // A server of its own: sessions of other tests' connections (to the same name) are not ones it can resume.
    const fresh = https.createServer(testCa.tls, handler)
    watch(fresh)
    const reused: boolean[] = []
    fresh.on('secureConnection', (socket: TLSSocket) => reused.push(socket.isSessionReused()))
    const url = `https://127.0.0.1:${await listen(fresh)}`
    try {
      preconnect(url, { ca })
      await until(() => seen.connections.length === 1)
      expect((await get(url, '/first', { ca })).status).toBe(200)
      // The server ends the connection; the next request needs a new one.
      fresh.closeAllConnections()
      await until(() => seen.closed.includes(seen.connections[0]))
      await new Promise(resolve => setTimeout(resolve, 50))
      expect((await get(url, '/second', { ca })).status).toBe(200)
      expect(seen.connections).toHaveLength(2)
      expect(reused).toEqual([false, true])
    } finally {
      fresh.closeAllConnections()
      await new Promise(resolve => fresh.close(resolve))
    }
  })

  test('a connection the server closed while it waited is not used: the request opens a new one', async () => {
    dropNext = 1
    preconnect(plainUrl)
    await until(() => seen.connections.length === 1 && seen.closed.includes(seen.connections[0]))
    await new Promise(resolve => setTimeout(resolve, 20))
    expect((await get(plainUrl, '/after-drop')).status).toBe(200)
    const [dropped, fresh] = seen.connections
    expect(seen.requests).toEqual([`GET /after-drop @${fresh}`])
    expect(fresh).not.toBe(dropped)
  })

  test('one older than maxAgeMs is closed, not used: the request opens a new one', async () => {
    preconnect(plainUrl, { maxAgeMs: 0 })
    await until(() => seen.connections.length === 1)
    await new Promise(resolve => setTimeout(resolve, 5))
    expect((await get(plainUrl, '/late')).status).toBe(200)
    const [old, fresh] = seen.connections
    expect(seen.requests).toEqual([`GET /late @${fresh}`])
    await until(() => seen.closed.includes(old))
  })

  test('a certificate the request would refuse is refused for the connection opened ahead too', async () => {
    preconnect(secureUrl)
    await until(() => seen.connections.length === 1)
    await expect(get(secureUrl, '/untrusted')).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
    expect(seen.requests).toEqual([])
  })

  test('a port nothing listens on: the request makes its own attempt and fails with its own error', async () => {
    const closed = net.createServer()
    const port = await listen(closed)
    await new Promise(resolve => closed.close(resolve))
    preconnect(`http://127.0.0.1:${port}`)
    await expect(get(`http://127.0.0.1:${port}`, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    expect(attempts).toBe(2)
  })

  test('a proxy in the environment: nothing is opened ahead, neither to Sentry nor to the proxy', async () => {
    const saved = process.env.http_proxy
    process.env.http_proxy = 'http://127.0.0.1:9'
    try {
      // Loopback is never proxied: a name only a proxy would resolve.
      preconnect('http://sentry.test:9')
      await new Promise(resolve => setTimeout(resolve, 50))
      expect(attempts).toBe(0)
    } finally {
      if (saved === undefined) delete process.env.http_proxy
      else process.env.http_proxy = saved
    }
  })
})
