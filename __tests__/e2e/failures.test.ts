import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { DEFAULT_ORG_TOKEN, DEFAULT_TOKEN, makeOrgToken } from '../../emulator/index.js'
import { type E2eFixture, seedWithReleases, startE2eFixture } from '../helpers/e2e-fixture.js'
import { type ActionRun, annotations } from '../helpers/run-action.js'

let fx: E2eFixture
beforeAll(async () => {
  fx = await startE2eFixture()
  await fx.repo.tag('release/1.0')
})
afterAll(() => fx.stop())
beforeEach(() => fx.emulator.reset(seedWithReleases('v1.2.0')))

const methods = () => fx.emulator.requests.map(({ method, status }) => `${method} ${status}`)

describe('retries', () => {
  test('after a 503 the same PUT is sent again', async () => {
    fx.emulator.addFault({ method: 'PUT', path: '/releases/', status: 503 })
    const run = await fx.pushTag('v1.2.0')
    expect(run.code).toBe(0)
    expect(methods()).toEqual(['PUT 503', 'PUT 200'])
    expect(fx.emulator.requests[1].body).toEqual(fx.emulator.requests[0].body)
    expect(run.stdout).toMatch(/Sentry answered 503; retrying in \d+\.\d s \(attempt 2 of 5\)\./)
  })

  test("after a 429 it waits for Retry-After", async () => {
    fx.emulator.addFault({ method: 'PUT', path: '/releases/', status: 429, retryAfter: '1' })
    const run = await fx.pushTag('v1.2.0')
    expect(run.code).toBe(0)
    expect(methods()).toEqual(['PUT 429', 'PUT 200'])
    const [first, second] = fx.emulator.requests
    expect(second.time - first.time).toBeGreaterThanOrEqual(1000)
    expect(run.stdout).toContain('Sentry answered 429; retrying in 1.0 s (attempt 2 of 5).')
  })

  test('a dropped connection is retried', async () => {
    fx.emulator.addFault({ method: 'PUT', path: '/releases/', drop: true })
    const run = await fx.pushTag('v1.2.0')
    expect(run.code).toBe(0)
    expect(fx.emulator.requests).toHaveLength(2)
    expect(run.stdout).toMatch(/Sentry did not answer \(.+\); retrying/)
  })

  test('a request that hangs times out after request_timeout and is retried', async () => {
    fx.emulator.addFault({ method: 'PUT', path: '/releases/', hang: true })
    const run = await fx.pushTag('v1.2.0', { request_timeout: '0.5' })
    expect(run.code).toBe(0)
    expect(fx.emulator.requests).toHaveLength(2)
  })

  test('the attempts are bounded, then the last answer is the error', async () => {
    fx.emulator.addFault({ method: 'PUT', path: '/releases/', status: 503, times: Infinity })
    const run = await fx.pushTag('v1.2.0')
    expect(run.code).toBe(1)
    expect(methods()).toEqual(Array(5).fill('PUT 503'))
    expect(annotations(run.stdout)).toEqual([
      ['error', 'Sentry answered 503 to PUT /api/0/organizations/acme/releases/v1.2.0/: Service Unavailable']
    ])
  })

  test('a 400 fails at once with Sentry\'s field error and the input to check', async () => {
    const run = await fx.pushTag('v1.2.0', { repo: 'acme/unknown' })
    expect(run.code).toBe(1)
    expect(methods()).toEqual(['PUT 400'])
    expect(annotations(run.stdout)).toEqual([
      ['error', "Sentry answered 400 to PUT /api/0/organizations/acme/releases/v1.2.0/: refs: Invalid repository names: acme/unknown (check 'repo')"]
    ])
  })
})

describe('bad inputs fail before any request, with one line naming the input', () => {
  test('a tag Sentry would reject as a release name', async () => {
    const run = await fx.pushTag('release/1.0')
    expect(run.code).toBe(1)
    expect(annotations(run.stdout)).toEqual([['error', `Input 'release': Sentry forbids '/' in a release name: "release/1.0"`]])
    expect(fx.emulator.requests).toEqual([])
    expect(run.stderr).toBe('')
  })

  test('a missing token', async () => {
    const run = await fx.pushTag('v1.2.0', { auth_token: '' })
    expect(run.code).toBe(1)
    expect(annotations(run.stdout)).toEqual([
      ['error', "Input 'auth_token': is required (or set the SENTRY_AUTH_TOKEN environment variable)"]
    ])
    expect(fx.emulator.requests).toEqual([])
  })
})

describe('the token', () => {
  /** The token appears only in the runner's add-mask command: nowhere in logs, outputs or the summary. */
  function expectTokenHidden(run: ActionRun, token: string): void {
    expect(run.stdout.split('\n').filter(line => line.includes(token))).toEqual([`::add-mask::${token}`])
    expect(run.stdout.indexOf(`::add-mask::${token}`)).toBe(0)
    for (const text of [run.stderr, run.rawOutputFile, run.summary]) expect(text).not.toContain(token)
  }

  test('a user token from SENTRY_AUTH_TOKEN, on success and on a 401', async () => {
    const success = await fx.pushTag('v1.2.0', { auth_token: '' }, { SENTRY_AUTH_TOKEN: DEFAULT_TOKEN })
    expect(success.code).toBe(0)
    expectTokenHidden(success, DEFAULT_TOKEN)
    const wrong = `${DEFAULT_TOKEN}0`
    const failure = await fx.pushTag('v1.2.0', { auth_token: wrong })
    expect(failure.code).toBe(1)
    expect(annotations(failure.stdout)[0][1]).toMatch(/^Sentry answered 401 to PUT .*\(check 'auth_token'\)$/)
    expectTokenHidden(failure, wrong)
  })

  test('an org token supplies the org; it is hidden too', async () => {
    const success = await fx.pushTag('v1.2.0', { auth_token: DEFAULT_ORG_TOKEN, org: '' })
    expect(success.code).toBe(0)
    expect(fx.emulator.requests[0].path).toBe('/api/0/organizations/acme/releases/v1.2.0/')
    expectTokenHidden(success, DEFAULT_ORG_TOKEN)
  })

  test("an unknown org token: its url and org are used, Sentry's 401 points at auth_token", async () => {
    const token = makeOrgToken({ org: 'other', url: fx.emulator.url })
    const run = await fx.pushTag('v1.2.0', { auth_token: token, org: '', sentry_url: '' })
    expect(run.code).toBe(1)
    expectTokenHidden(run, token)
    expect(fx.emulator.requests.map(request => request.path)).toEqual(['/api/0/organizations/other/releases/v1.2.0/'])
    expect(annotations(run.stdout)).toEqual([
      ['error', "Sentry answered 401 to PUT /api/0/organizations/other/releases/v1.2.0/: Invalid org token (check 'auth_token')"]
    ])
  })
})
