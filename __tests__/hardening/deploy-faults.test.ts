import { describe, expect, test } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import { LOOKUP_LINE, RELEASES_PATH, requestLines, useE2eFixture } from '../helpers/e2e-fixture.js'
import { type ActionRun, annotations } from '../../harness/run-action.js'

// Faults on the deploy POST: Sentry's deploy create is not idempotent, so a retry must not record the deploy twice.
const fx = useE2eFixture('v1.2.0')

const INPUTS = {
  date_released: '2024-06-01T10:00:00Z',
  environment: 'production',
  started_at: '2024-06-01T09:50:00Z',
  request_timeout: '1'
}
const DEPLOYS_PATH = '/api/0/organizations/acme/releases/v1.2.0/deploys/'
const deploys = () => fx.emulator.deploys('acme', 'v1.2.0')
/** The release's part of every run here: the lookup, the create (208: v1.2.0 exists) and the PUT of the fields it lacks. */
const RELEASE_WRITE = [LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, 'PUT /api/0/organizations/acme/releases/v1.2.0/ 200']
/** The requests after the release's part, as `METHOD status` of the deploys path; anything else shows in full. */
const deployCalls = () => {
  const lines = requestLines(fx.emulator)
  expect(lines.slice(0, RELEASE_WRITE.length)).toEqual(RELEASE_WRITE)
  return lines.slice(RELEASE_WRITE.length).map(line => line.replace(` ${DEPLOYS_PATH} `, ' '))
}

function expectOneDeployReported(run: ActionRun): void {
  expect(run.code).toBe(0)
  expect(deploys()).toHaveLength(1)
  const [deploy] = deploys()
  expect(deploy).toMatchObject({ environment: 'production', dateStarted: '2024-06-01T09:50:00.000Z' })
  expect(run.outputs).toMatchObject({ deployId: deploy.id, deployCount: '1' })
  expect(JSON.parse(run.outputs.lastDeploy)).toEqual(deploy)
}

describe('a deploy POST that may have been applied is checked before it is sent again', () => {
  test('Sentry records it but answers after request_timeout: the list finds it, no second POST', async () => {
    fx.emulator.addFault({ method: 'POST', path: '/deploys/', delayMs: 1500 })
    const run = await fx.pushTag('v1.2.0', INPUTS)
    // Sentry records the delayed POST whether or not the action still waits for it.
    while (fx.emulator.requests.some(request => request.status === 0)) await sleep(50)
    expectOneDeployReported(run)
    // The timed-out POST is logged with the 201 Sentry answered too late.
    expect(deployCalls()).toEqual(['POST 201', 'GET 200'])
    expect(run.stdout).toContain('Checking whether Sentry recorded the deploy before sending it again.')
  })

  test.each([
    ['a 502', { status: 502 }, 'POST 502'],
    ['a dropped connection', { drop: true }, 'POST 0']
  ])('%s that did not record it: the list lacks it, so it is sent again once', async (_, fault, failed) => {
    fx.emulator.addFault({ method: 'POST', path: '/deploys/', ...fault })
    const run = await fx.pushTag('v1.2.0', INPUTS)
    expectOneDeployReported(run)
    expect(deployCalls()).toEqual([failed, 'GET 200', 'POST 201'])
  })

  test('a 429 is sent again without a check: the rate limiter answers before Sentry records anything', async () => {
    fx.emulator.addFault({ method: 'POST', path: '/deploys/', status: 429, retryAfter: '0' })
    const run = await fx.pushTag('v1.2.0', INPUTS)
    expectOneDeployReported(run)
    expect(deployCalls()).toEqual(['POST 429', 'POST 201'])
  })
})

describe('a deploy POST that keeps failing', () => {
  // A 3 s budget (the test hook) instead of 120 s: with request_timeout 1 s each retry waits about 1 s, so a third
  // attempt starts near 2.1 s and a fourth could not start before 3.03 s.
  const BUDGET_MS = 3000

  test('the wait before each check counts in the retry budget; the release outputs and summary survive the failure', async () => {
    fx.emulator.addFault({ method: 'POST', path: '/deploys/', status: 503, body: { detail: 'Service Unavailable' }, times: Infinity })
    const run = await fx.pushTag('v1.2.0', INPUTS, { SENTRY_RELEASE_ACTION_RETRY_BUDGET_MS: String(BUDGET_MS) })

    expect(deployCalls()).toEqual(['POST 503', 'GET 200', 'POST 503', 'GET 200', 'POST 503'])
    const [firstPost, ...retries] = fx.emulator.requests.slice(RELEASE_WRITE.length)
    const checks = retries.filter(request => request.method === 'GET')
    // Each retry begins with its check, at least request_timeout after the POST before it, and within the budget.
    expect(checks[0].time - firstPost.time).toBeGreaterThanOrEqual(1000)
    expect(checks[1].time - firstPost.time).toBeLessThanOrEqual(BUDGET_MS)
    const retryLines = run.stdout.split('\n').filter(line => line.includes('; retrying in '))
    expect(retryLines.map(line => line.replace(/in \d+\.\d s/, 'in N s'))).toEqual(
      [2, 3].map(
        next =>
          `Sentry answered 503; retrying in N s (attempt ${next} of 5): the backoff plus 1 s ('request_timeout'), ` +
          'so that a deploy Sentry may still be recording shows up before checking.'
      )
    )

    expect(run.code).toBe(1)
    expect(annotations(run.stdout).filter(([kind]) => kind === 'error')).toEqual([
      [
        'error',
        'Sentry release v1.2.0 was updated, but the deploy to production was not recorded: ' +
          `Sentry answered 503 to POST ${DEPLOYS_PATH}: Service Unavailable after 3 attempts`
      ]
    ])
    expect(deploys()).toEqual([])
    expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({ ref: fx.commits[3], dateReleased: '2024-06-01T10:00:00.000Z' })
    expect(run.outputs).toMatchObject({
      release: 'v1.2.0',
      releaseUrl: `${fx.emulator.url}/organizations/acme/releases/v1.2.0/`,
      dateReleased: '2024-06-01T10:00:00.000Z',
      deployCount: '0'
    })
    expect(run.outputs).not.toHaveProperty('deployId')
    expect(run.summary).toContain(
      `started 2024-06-01T09:50:00.000Z (<strong>not recorded</strong>: Sentry answered 503 to POST ${DEPLOYS_PATH}: Service Unavailable after 3 attempts)`
    )
  }, 20_000)
})
