// Repos with Link cursors, previous-with-commits, GET /api/0/, rate limits, path decoding and Sentry's catch-all 404.
import { afterEach, describe, expect, test } from '@jest/globals'
import { DEFAULT_TOKEN, defaultSeed, startEmulator, type Emulator } from '../../emulator/index.js'
import { call, releasePath } from './client.js'
import { seedWith } from './seeds.js'

let em: Emulator
afterEach(async () => {
  await em.stop()
})

describe('routes', () => {
  test('repos: active repositories by name with Link cursors', async () => {
    const seed = defaultSeed()
    seed.orgs[0].repositories.push(
      { name: 'acme/api', provider: 'github', url: 'https://github.com/acme/api' },
      { name: 'acme/old', status: 'disabled' }
    )
    em = await startEmulator({ seed })
    const page1 = await call(em.url, 'GET', '/api/0/organizations/acme/repos/?per_page=1')
    expect(page1.body).toEqual([
      {
        id: expect.any(String),
        name: 'acme/api',
        url: 'https://github.com/acme/api',
        provider: { id: 'integrations:github', name: 'GitHub' },
        status: 'active',
        dateCreated: expect.any(String),
        integrationId: '1',
        externalSlug: 'acme/api',
        externalId: expect.any(String)
      }
    ])
    const base = `${em.url}/api/0/organizations/acme/repos/?per_page=1`
    expect(page1.headers.get('link')).toBe(
      `<${base}&cursor=1:-1:1>; rel="previous"; results="false"; cursor="1:-1:1", ` +
        `<${base}&cursor=1:1:0>; rel="next"; results="true"; cursor="1:1:0"`
    )
    const page2 = await call(em.url, 'GET', '/api/0/organizations/acme/repos/?per_page=1&cursor=1:1:0')
    expect((page2.body as Array<{ name: string }>).map(r => r.name)).toEqual(['acme/web'])
    expect(page2.headers.get('link')).toContain('rel="next"; results="false"')
  })

  test('previous-with-commits: the newest earlier release with commits, else {}', async () => {
    em = await startEmulator({
      seed: seedWith(
        { version: 'a', dateCreated: '2024-01-01T00:00:00Z', commits: [{ id: 'c1' }] },
        { version: 'b', dateCreated: '2024-01-02T00:00:00Z' },
        { version: 'c', dateCreated: '2024-01-03T00:00:00Z', projects: ['api'] }
      )
    })
    const prev = (v: string) => call(em.url, 'GET', `${releasePath(v)}previous-with-commits/`)
    expect((await prev('b')).body).toMatchObject({ version: 'a', lastCommit: { id: 'c1' } })
    expect(await prev('c')).toMatchObject({ status: 200, body: {} })
    expect((await prev('nope')).status).toBe(404)
  })

  test('GET /api/0/ reports the auth, with or without a token', async () => {
    em = await startEmulator()
    expect((await call(em.url, 'GET', '/api/0/')).body).toMatchObject({ version: '0', auth: { scopes: ['org:ci'] } })
    expect((await call(em.url, 'GET', '/api/0/', undefined, null)).body).toEqual({ version: '0', auth: null, user: null })
  })

  test('rate limit headers, then the 429 as Sentry serves it: JSON detail as text/html, Reset, no Retry-After', async () => {
    em = await startEmulator({ rateLimit: { limit: 2, windowSeconds: 60 } })
    const hit = () => call(em.url, 'GET', releasePath('x'))
    const first = await hit()
    expect(first.headers.get('x-sentry-rate-limit-limit')).toBe('2')
    expect(first.headers.get('x-sentry-rate-limit-remaining')).toBe('1')
    expect(first.headers.get('x-sentry-rate-limit-reset')).toMatch(/^\d+$/)
    await hit()
    const limited = await hit()
    expect(limited).toMatchObject({
      status: 429,
      body: { detail: 'You are attempting to use this endpoint too frequently. Limit is 2 requests in 60 seconds' }
    })
    expect(limited.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(limited.headers.get('retry-after')).toBeNull()
    expect(limited.headers.get('x-sentry-rate-limit-remaining')).toBe('0')
    // The next 60 s window, in epoch seconds.
    const reset = Number(limited.headers.get('x-sentry-rate-limit-reset'))
    expect(reset % 60).toBe(0)
    expect(reset * 1000).toBeGreaterThan(Date.now())
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 60_000)
  })

  test('the version is one percent-decoded segment matched exactly', async () => {
    em = await startEmulator({ seed: seedWith({ version: '1.0+b' }, { version: 'a b#?' }) })
    expect((await call(em.url, 'GET', '/api/0/organizations/acme/releases/1.0%2Bb/')).status).toBe(200)
    expect((await call(em.url, 'GET', releasePath('a b#?'))).status).toBe(200)
    expect((await call(em.url, 'GET', '/api/0/organizations/acme/releases/1.0+b%20/')).status).toBe(404)
    // An encoded "/" splits the segment, as Django decodes before routing.
    expect(await call(em.url, 'GET', '/api/0/organizations/acme/releases/a%2Fb/')).toMatchObject({ status: 404, body: null })
  })

  test("unknown routes answer like Sentry's CatchallEndpoint; a method the token has no scope for 403, else 405", async () => {
    em = await startEmulator()
    expect(await call(em.url, 'GET', '/api/0/organizations/acme/nothing/')).toMatchObject({ status: 404, body: null })
    expect(await call(em.url, 'GET', '/api/0/organizations/acme/releases')).toMatchObject({
      status: 404,
      body: { info: 'Route not found, did you forget a trailing slash? try: /api/0/organizations/acme/releases/' }
    })
    expect(await call(em.url, 'PATCH', releasePath('x'))).toMatchObject({ status: 403 })
    expect(await call(em.url, 'PUT', '/api/0/organizations/acme/repos/')).toMatchObject({ status: 403 })
    // org:ci may POST to release endpoints, but release details serve no POST.
    expect(await call(em.url, 'POST', releasePath('x'), {})).toMatchObject({ status: 405, body: { detail: 'Method "POST" not allowed.' } })
  })

  test('basePath: the API lives under a sub-path', async () => {
    em = await startEmulator({ basePath: '/sentry' })
    expect(em.url).toMatch(/\/sentry$/)
    expect((await call(em.url, 'GET', '/api/0/', undefined, DEFAULT_TOKEN)).status).toBe(200)
    expect((await call(em.url.replace(/\/sentry$/, ''), 'GET', '/api/0/')).status).toBe(404)
    expect(em.requests.map(r => r.path)).toEqual(['/api/0/'])
  })
})
