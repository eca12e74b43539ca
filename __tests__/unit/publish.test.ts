import { describe, expect, jest, test } from '@jest/globals'
import * as core from '../../__fixtures__/core.js'
import { HEAD, settingsWith, tagPushPlanInputs } from '../helpers/fixtures.js'
import type { Plan, PlannedRequest } from '../../src/plan.js'
import type { SendRequest } from '../../src/sentry-client.js'

jest.unstable_mockModule('@actions/core', () => core)
const { publish, updateOrCreate } = await import('../../src/publish.js')
const { buildPlan } = await import('../../src/plan.js')
const { SentryError } = await import('../../src/sentry-errors.js')
const { rangeText } = await import('../../src/report.js')

const planFor = (projects: string[]) =>
  buildPlan(tagPushPlanInputs({ settings: settingsWith({ projects }), target: { kind: 'tag', tag: 'v1', sha: HEAD }, range: { head: HEAD } }))

/** A fake Sentry answering each request with the next scripted status (and message, for errors). */
function sentry(statuses: number[], message = (status: number) => `status ${status}`) {
  const sent: PlannedRequest[] = []
  const send: SendRequest = async request => {
    sent.push(request)
    const status = statuses[sent.length - 1]
    if (status >= 300) throw new SentryError(status, message(status))
    return { version: 'v1', status }
  }
  return { send, sent }
}

describe('updateOrCreate', () => {
  test('the update alone when the release exists', async () => {
    const { send, sent } = sentry([200])
    expect(await updateOrCreate(planFor(['web']), send)).toEqual({ version: 'v1', status: 200 })
    expect(sent.map(request => request.method)).toEqual(['PUT'])
  })

  test('404 -> create with projects; the log says so once Sentry created it', async () => {
    core.info.mockClear()
    const plan = planFor(['web'])
    const { send, sent } = sentry([404, 201])
    expect(await updateOrCreate(plan, send)).toEqual({ version: 'v1', status: 201 })
    expect(sent).toEqual([plan.update, plan.ifMissing])
    expect(core.info.mock.calls).toEqual([['Sentry had no release v1: created it.']])
  })

  // Sentry answers 404 alike for a missing release and an org the token cannot see: the create's error tells which.
  test('404 to the create too (a wrong org): the error alone, no word of creating a release', async () => {
    core.info.mockClear()
    const { send } = sentry([404, 404], status => `Sentry answered ${status} (Sentry has no org 'acme')`)
    await expect(updateOrCreate(planFor(['web']), send)).rejects.toThrow("Sentry answered 404 (Sentry has no org 'acme')")
    expect(core.info).not.toHaveBeenCalled()
  })

  test('404 without projects fails naming projects, sending nothing more', async () => {
    const { send, sent } = sentry([404])
    await expect(updateOrCreate(planFor([]), send)).rejects.toThrow("Input 'projects': Sentry has no release \"v1\" in org 'acme'")
    expect(sent).toHaveLength(1)
  })

  test('other errors pass through', async () => {
    const { send } = sentry([400])
    await expect(updateOrCreate(planFor(['web']), send)).rejects.toThrow('status 400')
  })
})

describe('publish: the fallback to local commits', () => {
  const unknownRepository = () => 'Invalid repository names: acme/web'
  const localPlan = (plan: Plan) => async (): Promise<Plan> => ({ ...plan, update: { ...plan.update, body: { commits: [] } }, warnings: ['local'] })

  test('auto mode: an unknown repository warns, then sends the local plan', async () => {
    core.warning.mockClear()
    const plan = planFor(['web'])
    const local = await localPlan(plan)()
    const { send, sent } = sentry([400, 200], unknownRepository)
    expect(await publish(plan, send, localPlan(plan))).toEqual({ plan: local, release: { version: 'v1', status: 200 } })
    expect(sent).toEqual([plan.update, local.update])
    const unknown = expect.stringMatching(/^Sentry has no repository 'acme\/web' in org 'acme'/)
    expect(core.warning.mock.calls.map(([text]) => text)).toEqual([unknown, 'local'])
    expect(core.warning.mock.calls[0][1]).toEqual({ title: 'Sentry does not know repository acme/web' })
    // Reading git again (and deepening a shallow checkout) is one collapsed block of the log.
    expect(core.startGroup.mock.calls).toEqual([['Reading the commits from git instead']])
    expect(core.endGroup).toHaveBeenCalledTimes(1)
  })

  test('warnings the first plan printed already are not repeated; the range sent is logged', async () => {
    core.warning.mockClear()
    core.info.mockClear()
    const plan = { ...planFor(['web']), warnings: ['both'] }
    const local = { ...plan, commitSource: 'local' as const, warnings: ['both', 'local only'] }
    const { send } = sentry([400, 200], unknownRepository)
    await publish(plan, send, async () => local)
    expect(core.warning.mock.calls.map(([text]) => text)).toEqual([expect.stringMatching(/^Sentry has no repository/), 'local only'])
    expect(core.info.mock.calls).toEqual([[rangeText(local)]])
  })

  test('without fallbackToLocal the error passes through', async () => {
    const plan = { ...planFor(['web']), fallbackToLocal: false }
    const { send, sent } = sentry([400], unknownRepository)
    await expect(publish(plan, send, localPlan(plan))).rejects.toThrow('Invalid repository names: acme/web')
    expect(sent).toEqual([plan.update])
  })
})
