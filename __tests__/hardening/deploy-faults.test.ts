import { describe, expect, test } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import { useE2eFixture } from '../helpers/e2e-fixture.js'
import type { ActionRun } from '../helpers/run-action.js'

// Faults on the deploy POST: Sentry's deploy create is not idempotent, so a retry must not record the deploy twice.
const fx = useE2eFixture('v1.2.0')

const INPUTS = { date_released: '2024-06-01T10:00:00Z', environment: 'production', started_at: '2024-06-01T09:50:00Z', request_timeout: '1' }
const methods = () => fx.emulator.requests.map(({ method, status }) => `${method} ${status}`)
const deploys = () => fx.emulator.deploys('acme', 'v1.2.0')

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
    expect(methods()).toEqual(['PUT 200', 'POST 201', 'GET 200'])
    expect(run.stdout).toContain('Checking whether Sentry recorded the deploy before sending it again.')
  })

  test.each([
    ['a 502', { status: 502 }, 'POST 502'],
    ['a dropped connection', { drop: true }, 'POST 0']
  ])('%s that did not record it: the list lacks it, so it is sent again once', async (_, fault, failed) => {
    fx.emulator.addFault({ method: 'POST', path: '/deploys/', ...fault })
    const run = await fx.pushTag('v1.2.0', INPUTS)
    expectOneDeployReported(run)
    expect(methods()).toEqual(['PUT 200', failed, 'GET 200', 'POST 201'])
  })

  test('a 429 is sent again without a check: the rate limiter answers before Sentry records anything', async () => {
    fx.emulator.addFault({ method: 'POST', path: '/deploys/', status: 429, retryAfter: '0' })
    const run = await fx.pushTag('v1.2.0', INPUTS)
    expectOneDeployReported(run)
    expect(methods()).toEqual(['PUT 200', 'POST 429', 'POST 201'])
  })
})
