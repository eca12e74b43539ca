import { describe, expect, jest, test } from '@jest/globals'
import { coreMock } from '../helpers/core-mock.js'
import { githubContext, HEAD, settingsWith } from '../helpers/fixtures.js'
import type { PlannedRequest } from '../../src/plan.js'
import type { SendRequest } from '../../src/sentry-client.js'

jest.unstable_mockModule('../../src/runner.js', () => coreMock)
const { publish } = await import('../../src/publish.js')
const { buildPlan } = await import('../../src/plan.js')
const { SentryError } = await import('../../src/sentry-errors.js')

const planFor = (projects: string[]) =>
  buildPlan({
    settings: settingsWith({ projects }),
    context: githubContext,
    target: { kind: 'tag', tag: 'v1', sha: HEAD },
    range: { head: HEAD },
    now: new Date(0)
  })

/** A fake Sentry answering each request with the next scripted status. */
function sentry(statuses: number[]) {
  const sent: PlannedRequest[] = []
  const send: SendRequest = async request => {
    sent.push(request)
    const status = statuses[sent.length - 1]
    if (status >= 300) throw new SentryError(status, `status ${status}`)
    return { version: 'v1', status }
  }
  return { send, sent }
}

describe('publish', () => {
  test('the update alone when the release exists', async () => {
    const { send, sent } = sentry([200])
    expect(await publish(planFor(['web']), send)).toEqual({ version: 'v1', status: 200 })
    expect(sent.map(request => request.method)).toEqual(['PUT'])
  })

  test('404 -> create with projects', async () => {
    const plan = planFor(['web'])
    const { send, sent } = sentry([404, 201])
    expect(await publish(plan, send)).toEqual({ version: 'v1', status: 201 })
    expect(sent).toEqual([plan.update, plan.ifMissing])
  })

  test('404 without projects fails naming projects, sending nothing more', async () => {
    const { send, sent } = sentry([404])
    await expect(publish(planFor([]), send)).rejects.toThrow("Input 'projects': Sentry has no release \"v1\" in org 'acme'")
    expect(sent).toHaveLength(1)
  })

  test('other errors pass through', async () => {
    const { send } = sentry([400])
    await expect(publish(planFor(['web']), send)).rejects.toThrow('status 400')
  })
})
