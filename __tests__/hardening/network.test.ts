import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { seedWithReleases, useE2eFixture } from '../helpers/e2e-fixture.js'
import { type ActionRun, annotations } from '../helpers/run-action.js'
import { type LocalProxy, startLocalProxy } from './local-proxy.js'
import { makeTestCa, type TestCa } from './test-ca.js'

// Proxies, a private CA and a self-hosted Sentry under /sentry/, against the bundled action.
//
// Why `sentry.test`: the action (like @actions/http-client) never proxies localhost or 127.*, and the
// machine has no DNS. `sentry.test` (a reserved name) resolves nowhere but in the test's proxy, which maps
// it to 127.0.0.1: a run that reaches the emulator under that name can only have gone through the proxy.

const fx = useE2eFixture('v1.2.0')
let ca: TestCa
let selfHosted: Emulator
let proxy: LocalProxy
beforeAll(async () => {
  ca = await makeTestCa(['sentry.test', '127.0.0.1'])
  selfHosted = await startEmulator({ tls: ca.tls, basePath: '/sentry', git: fx.repo.dir, fetchDelayMs: 10 })
  proxy = await startLocalProxy({ 'sentry.test': '127.0.0.1' })
})
afterAll(async () => {
  await Promise.all([selfHosted.stop(), proxy.stop(), ca.remove()])
})
beforeEach(() => {
  selfHosted.reset(seedWithReleases('v1.2.0'))
  proxy.log.length = 0
})

const PUT_PATH = '/api/0/organizations/acme/releases/v1.2.0/'
const portOf = (emulator: Emulator): string => new URL(emulator.url).port
const errors = (run: ActionRun) => annotations(run.stdout).filter(([kind]) => kind === 'error').map(([, message]) => message)

describe('self-hosted Sentry under https://host/sentry/ with a private CA', () => {
  test('with NODE_EXTRA_CA_CERTS: the API and release page URLs keep the sub-path', async () => {
    const run = await fx.pushTag('v1.2.0', { sentry_url: `${selfHosted.url}/` }, { NODE_EXTRA_CA_CERTS: ca.caFile })
    expect(run.code).toBe(0)
    // The emulator answers 404 to anything outside /sentry and logs paths below it.
    expect(selfHosted.requests.map(({ method, path, status }) => `${method} ${path} ${status}`)).toEqual([`PUT ${PUT_PATH} 200`])
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
    expect(proxy.log).toEqual([`CONNECT ${authority}`])
    expect(selfHosted.requests.map(({ path, headers }) => [path, headers.host])).toEqual([[PUT_PATH, authority]])
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
    expect(proxy.log).toEqual([`PUT http://${authority}${PUT_PATH}`])
    expect(fx.emulator.requests.map(({ path, headers }) => [path, headers.host])).toEqual([[PUT_PATH, authority]])
  })

  test('no_proxy matching the host: the proxy is not used (and sentry.test does not resolve without it)', async () => {
    const run = await fx.pushTag(
      'v1.2.0',
      { sentry_url: `http://sentry.test:${portOf(fx.emulator)}`, allow_insecure_http: 'true' },
      { http_proxy: proxy.url, no_proxy: 'example.com,sentry.test' }
    )
    expect(run.code).toBe(1)
    expect(proxy.log).toEqual([])
    expect(errors(run)).toEqual([expect.stringMatching(/^Cannot reach Sentry at http:\/\/sentry\.test:\d+ after 5 attempts \(check 'sentry_url'\): .*sentry\.test/)])
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
