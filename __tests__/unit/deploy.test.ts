import { describe, expect, jest, test } from '@jest/globals'
import * as core from '../../__fixtures__/core.js'
import type { PlannedDeploy } from '../../src/core/deploy-plan.js'
import type { PlannedRequest } from '../../src/core/requests.js'
import type { SendRequest } from '../../src/core/ports.js'

jest.unstable_mockModule('@actions/core', () => core)
const { recordDeploy } = await import('../../src/steps/deploy.js')

const PATH = 'organizations/acme/releases/v1/deploys/'
const SENTRY_URL = 'https://sentry.example.com'
const STARTED = '2024-06-01T10:00:00.000Z'
const planned: PlannedDeploy = {
  create: { method: 'POST', path: PATH, body: { environment: 'production', dateStarted: STARTED } },
  list: { method: 'GET', path: PATH }
}
const ours = {
  id: '5',
  environment: 'production',
  name: null,
  url: null,
  dateStarted: '2024-06-01T10:00:00Z',
  dateFinished: '2024-06-01T10:01:00Z'
}
const other = { ...ours, id: '6', environment: 'staging' }
const created = { ...ours, id: '9' }

/** A fake Sentry: GET answers the listed deploys, POST the created deploy; records what was sent. */
function sentry(listed: unknown[]) {
  const sent: PlannedRequest[] = []
  const send: SendRequest = async request => {
    sent.push(request)
    return request.method === 'GET' ? listed : created
  }
  return { send, sent }
}

describe('recordDeploy', () => {
  test('a release without deploys: only the POST; deployCount + 1 and lastDeploy is the new deploy', async () => {
    const { send, sent } = sentry([])
    const outcome = await recordDeploy(planned, { version: 'v1', deployCount: 0, lastDeploy: null }, send, SENTRY_URL)
    expect(sent).toEqual([planned.create])
    expect(outcome).toEqual({ deploy: created, created: true, release: { version: 'v1', deployCount: 1, lastDeploy: created } })
  })

  test("a rerun whose deploy is the release's lastDeploy: no request at all", async () => {
    const { send, sent } = sentry([])
    const release = { deployCount: 3, lastDeploy: ours }
    expect(await recordDeploy(planned, release, send, SENTRY_URL)).toEqual({ deploy: ours, created: false, release })
    expect(sent).toEqual([])
  })

  test('a rerun after a deploy to another environment: found in the list, no POST', async () => {
    const { send, sent } = sentry([other, ours])
    const release = { deployCount: 2, lastDeploy: other }
    expect(await recordDeploy(planned, release, send, SENTRY_URL)).toEqual({ deploy: ours, created: false, release })
    expect(sent).toEqual([planned.list])
  })

  test('deploys of other events: GET, then POST', async () => {
    const { send, sent } = sentry([other])
    const outcome = await recordDeploy(planned, { deployCount: 1, lastDeploy: other }, send, SENTRY_URL)
    expect(sent).toEqual([planned.list, planned.create])
    expect(outcome.release).toEqual({ deployCount: 2, lastDeploy: created })
  })

  test('no start time to recognise a rerun by: POST without looking', async () => {
    const { send, sent } = sentry([ours])
    await recordDeploy({ create: planned.create }, { deployCount: 1, lastDeploy: ours }, send, SENTRY_URL)
    expect(sent).toEqual([planned.create])
  })

  describe('a POST that failed in a way Sentry may have applied (the client calls back before sending it again)', () => {
    /** A client whose POST failed with `failure` once, then asks the callback, then (when told to) sends again. */
    function failingOnce(listed: unknown[]) {
      const { send: answer, sent } = sentry(listed)
      const send: SendRequest = async (request, ifMaybeApplied) => {
        if (!ifMaybeApplied) return answer(request)
        sent.push(request)
        return (await ifMaybeApplied('answered 502')) ?? answer(request)
      }
      return { send, sent }
    }

    test('Sentry has it: the listed deploy, no second POST', async () => {
      const { send, sent } = failingOnce([other, ours])
      const outcome = await recordDeploy(planned, { deployCount: 0, lastDeploy: null }, send, SENTRY_URL)
      expect(sent).toEqual([planned.create, planned.list])
      expect(outcome).toEqual({ deploy: ours, created: true, release: { deployCount: 1, lastDeploy: ours } })
    })

    test('Sentry lacks it: sent again', async () => {
      const { send, sent } = failingOnce([other])
      expect((await recordDeploy(planned, { deployCount: 0 }, send, SENTRY_URL)).deploy).toEqual(created)
      expect(sent).toEqual([planned.create, planned.list, planned.create])
    })

    test('no start time to recognise it by: not sent again, and the error says why', async () => {
      const { send, sent } = failingOnce([ours])
      await expect(recordDeploy({ create: planned.create }, { deployCount: 0 }, send, SENTRY_URL)).rejects.toThrow(
        'Sentry answered 502 to the deploy POST and may have recorded the deploy; with no start time to recognise it by (set started_at), it is not sent again'
      )
      expect(sent).toEqual([planned.create])
    })
  })
})
