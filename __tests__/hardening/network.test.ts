import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import {
  LOOKUP_LINE,
  RELEASES_PATH,
  REPOSITORY_LOOKUP_PATH,
  requestLines,
  seedWithReleases,
  useE2eFixture
} from '../helpers/e2e-fixture.js'
import { type ActionRun, annotations } from '../../harness/run-action.js'
import { type LocalProxy, startLocalProxy } from './local-proxy.js'
import { makeTestCa, type TestCa } from '../helpers/test-ca.js'

// Proxies, a private CA and a self-hosted Sentry under /sentry/, against the bundled action.
//
// Why `sentry.test`: the action (like @actions/http-client) never proxies localhost or 127.*, and the
// machine has no DNS. `sentry.test` (a reserved name) resolves nowhere but in the test's proxy, which maps
// it to 127.0.0.1: a run that reaches the emulator under that name can only have gone through the proxy.

const fx = useE2eFixture('v1.2.0')
let ca: TestCa
let selfHosted: Emulator
let proxy: LocalProxy
/** A proxy that wants other credentials: 407 to every CONNECT and every forwarded request. */
let refusingProxy: http.Server
/** What refusingProxy was asked, one line per request. */
const refused: string[] = []
beforeAll(async () => {
  ca = await makeTestCa(['sentry.test', '127.0.0.1'])
  selfHosted = await startEmulator({ tls: ca.tls, basePath: '/sentry', git: fx.repo.dir, fetchDelayMs: 10 })
  proxy = await startLocalProxy({ 'sentry.test': '127.0.0.1' })
  refusingProxy = http.createServer((request, response) => {
    refused.push(`${request.method} ${request.url}`)
    response.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="corp"' }).end()
  })
  refusingProxy.on('connect', (request: http.IncomingMessage, socket: NodeJS.WritableStream) => {
    refused.push(`CONNECT ${request.url}`)
    socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n')
  })
  await new Promise<void>(resolve => refusingProxy.listen(0, '127.0.0.1', resolve))
})
afterAll(async () => {
  refusingProxy.closeAllConnections()
  await Promise.all([selfHosted.stop(), proxy.stop(), ca.remove(), new Promise(resolve => refusingProxy.close(resolve))])
})
beforeEach(() => {
  selfHosted.reset(seedWithReleases('v1.2.0'))
  proxy.log.length = 0
  refused.length = 0
})

const PUT_PATH = '/api/0/organizations/acme/releases/v1.2.0/'
/** A run for the existing release v1.2.0 (seeded without its fields): the lookup, the create (208), the fields. */
const RELEASE_RUN = [LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, `PUT ${PUT_PATH} 200`]
/** Each request's path (with its query) and Host header, as the emulator received them. */
const pathsAndHosts = (emulator: Emulator) =>
  emulator.requests.map(({ path, query, headers }) => [query ? `${path}?${query}` : path, headers.host])
const portOf = (emulator: Emulator): string => new URL(emulator.url).port
const errors = (run: ActionRun) =>
  annotations(run.stdout)
    .filter(([kind]) => kind === 'error')
    .map(([, message]) => message)

describe('self-hosted Sentry under https://host/sentry/ with a private CA', () => {
  test('with NODE_EXTRA_CA_CERTS: the API and release page URLs keep the sub-path', async () => {
    const run = await fx.pushTag('v1.2.0', { sentry_url: `${selfHosted.url}/` }, { NODE_EXTRA_CA_CERTS: ca.caFile })
    expect(run.code).toBe(0)
    // The emulator answers 404 to anything outside /sentry and logs paths below it.
    expect(requestLines(selfHosted)).toEqual(RELEASE_RUN)
    expect(selfHosted.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/sentry$/)
    expect(run.outputs.releaseUrl).toBe(`${selfHosted.url}/organizations/acme/releases/v1.2.0/`)
    expect(run.summary).toContain(`<a href="${selfHosted.url}/organizations/acme/releases/v1.2.0/">`)
  })

  test('without the CA: one clear failure at once, no retries, pointing at NODE_EXTRA_CA_CERTS', async () => {
    const run = await fx.pushTag('v1.2.0', { sentry_url: selfHosted.url })
    expect(run.code).toBe(1)
    expect(selfHosted.requests).toEqual([])
    expect(run.stdout).not.toContain('retrying')
    expect(errors(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Cannot reach Sentry at ${selfHosted.url} \\(check 'sentry_url'\\): TLS certificate not trusted \\([A-Z_]+: .+\\); ` +
            'for a private CA set NODE_EXTRA_CA_CERTS to its PEM file$'
        )
      )
    ])
  })
})

describe('through a proxy (no_proxy set, not matching)', () => {
  test('https_proxy: a CONNECT tunnel, TLS to Sentry inside it', async () => {
    const authority = `sentry.test:${portOf(selfHosted)}`
    const run = await fx.pushTag(
      'v1.2.0',
      { sentry_url: `https://${authority}/sentry` },
      { https_proxy: proxy.url, no_proxy: 'example.com,.internal', NODE_EXTRA_CA_CERTS: ca.caFile }
    )
    expect(run.code).toBe(0)
    // Tunnels to Sentry only, at most one per request (undici keeps one open for the next request of the run when it can).
    expect(proxy.log.length).toBeGreaterThanOrEqual(1)
    expect(proxy.log.length).toBeLessThanOrEqual(3)
    expect(new Set(proxy.log)).toEqual(new Set([`CONNECT ${authority}`]))
    expect(requestLines(selfHosted)).toEqual(RELEASE_RUN)
    expect(pathsAndHosts(selfHosted)).toEqual([REPOSITORY_LOOKUP_PATH, RELEASES_PATH, PUT_PATH].map(path => [path, authority]))
    expect(run.outputs.releaseUrl).toBe(`https://${authority}/sentry/organizations/acme/releases/v1.2.0/`)
  })

  test('http_proxy, with plain http allowed by allow_insecure_http', async () => {
    const authority = `sentry.test:${portOf(fx.emulator)}`
    const run = await fx.pushTag(
      'v1.2.0',
      { sentry_url: `http://${authority}`, allow_insecure_http: 'true' },
      { http_proxy: proxy.url, no_proxy: 'example.com' }
    )
    expect(run.code).toBe(0)
    // Plain http goes to a proxy as a forwarded absolute-URI request, one per request.
    expect(proxy.log).toEqual([
      `GET http://${authority}${REPOSITORY_LOOKUP_PATH}`,
      `POST http://${authority}${RELEASES_PATH}`,
      `PUT http://${authority}${PUT_PATH}`
    ])
    expect(pathsAndHosts(fx.emulator)).toEqual([REPOSITORY_LOOKUP_PATH, RELEASES_PATH, PUT_PATH].map(path => [path, authority]))
  })

  test('no_proxy matching the host: the proxy is not used (and sentry.test does not resolve without it)', async () => {
    const run = await fx.pushTag(
      'v1.2.0',
      { sentry_url: `http://sentry.test:${portOf(fx.emulator)}`, allow_insecure_http: 'true' },
      { http_proxy: proxy.url, no_proxy: 'example.com,sentry.test' }
    )
    expect(run.code).toBe(1)
    expect(proxy.log).toEqual([])
    expect(errors(run)).toEqual([
      expect.stringMatching(/^Cannot reach Sentry at http:\/\/sentry\.test:\d+ after 5 attempts \(check 'sentry_url'\): .*sentry\.test/)
    ])
  })

  // Wrong proxy credentials stay wrong: no retry, and the error points at the variable, never quoting it.
  const refusingCases: Array<[string, string, string, (authority: string) => string]> = [
    ['https_proxy, answering 407 to CONNECT', 'https', 'https_proxy', (authority: string) => `CONNECT ${authority}`],
    [
      'http_proxy, answering 407 to the forwarded request',
      'http',
      'http_proxy',
      (authority: string) => `GET http://${authority}${REPOSITORY_LOOKUP_PATH}`
    ]
  ]
  const runThroughRefusingProxy = (scheme: string, variable: string) => {
    const authority = `sentry.test:${portOf(scheme === 'https' ? selfHosted : fx.emulator)}`
    const refusingUrl = `http://ci:hunter22@127.0.0.1:${(refusingProxy.address() as AddressInfo).port}`
    const run = fx.pushTag('v1.2.0', { sentry_url: `${scheme}://${authority}`, allow_insecure_http: 'true' }, { [variable]: refusingUrl })
    return { authority, refusingUrl, run }
  }

  test.each(refusingCases)('%s: fails at once naming the variable', async (_, scheme, variable, asked) => {
    const { authority, refusingUrl, run: running } = runThroughRefusingProxy(scheme, variable)
    const run = await running
    expect(run.code).toBe(1)
    // The first request is refused and not retried (the next test: no other request should follow it).
    expect(refused[0]).toBe(asked(authority))
    expect(run.stdout).not.toContain('retrying')
    expect(errors(run)).toEqual([
      `Cannot reach Sentry at ${scheme}://${authority} (check '${variable}'): the proxy ${new URL(refusingUrl).host} refused the credentials (407)`
    ])
    expect(run.stdout).not.toContain('hunter22')
  })

  // The repository lookup ends the run on anything but a 403: a refusing proxy is not asked again by the release write.
  test.each(refusingCases)('%s: the proxy is asked once, nothing after its refusal', async (_, scheme, variable, asked) => {
    const { authority, run: running } = runThroughRefusingProxy(scheme, variable)
    const run = await running
    expect(run.code).toBe(1)
    expect(refused).toEqual([asked(authority)])
  })

  test('a proxy that is down: retried, then a failure naming sentry_url and the proxy variable', async () => {
    const authority = `sentry.test:${portOf(selfHosted)}`
    const run = await fx.pushTag('v1.2.0', { sentry_url: `https://${authority}` }, { HTTPS_PROXY: 'http://127.0.0.1:9' })
    expect(run.code).toBe(1)
    expect(errors(run)).toEqual([
      `Cannot reach Sentry at https://${authority} after 5 attempts (check 'sentry_url' and 'HTTPS_PROXY'): connect ECONNREFUSED 127.0.0.1:9`
    ])
  })

  test('plain http to a host other than this machine is refused before anything is sent', async () => {
    const run = await fx.pushTag('v1.2.0', { sentry_url: `http://sentry.test:${portOf(fx.emulator)}` }, { http_proxy: proxy.url })
    expect(run.code).toBe(1)
    expect(proxy.log).toEqual([])
    expect(fx.emulator.requests).toEqual([])
    expect(errors(run)).toEqual([
      `Input 'sentry_url': 'http://sentry.test:${portOf(fx.emulator)}' would send the token unencrypted: ` +
        "use https://, or set 'allow_insecure_http: true' if the network is trusted"
    ])
  })
})

describe("the runner's environment", () => {
  test("a date without a zone is sent as UTC (as Sentry reads it), whatever the runner's TZ", async () => {
    const run = await fx.pushTag('v1.2.0', { date_released: '2024-06-01T10:00:00' }, { TZ: 'America/New_York' })
    expect(run.code).toBe(0)
    const dateReleased = '2024-06-01T10:00:00.000Z'
    expect(requestLines(fx.emulator)).toEqual(RELEASE_RUN)
    expect(fx.emulator.requests.map(request => request.body)).toEqual([
      null,
      expect.objectContaining({ dateReleased }),
      expect.objectContaining({ dateReleased })
    ])
  })
})
