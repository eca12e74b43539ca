import { describe, expect, jest, test } from '@jest/globals'
import * as core from '../../__fixtures__/core.js'
import { HEAD, settingsWith, tagPushPlanInputs } from '../helpers/fixtures.js'
import type { Plan } from '../../src/core/plan.js'
import type { PlannedRequest } from '../../src/core/requests.js'
import type { SendRequest } from '../../src/core/ports.js'

jest.unstable_mockModule('@actions/core', () => core)
const { publish, unappliedFields, writeRelease } = await import('../../src/steps/publish.js')
const { buildPlan } = await import('../../src/core/plan.js')
const { SentryError } = await import('../../src/core/sentry-errors.js')
const { rangeText } = await import('../../src/core/report-text.js')
const { repositoryKind } = await import('../../src/steps/sentry-repository.js')

const NOW = new Date('2024-06-01T10:00:00Z')
const planFor = (projects: string[], create = true) =>
  buildPlan(
    tagPushPlanInputs({
      settings: settingsWith({ projects, create }),
      target: { kind: 'tag', tag: 'v1', sha: HEAD },
      range: { head: HEAD },
      now: NOW
    })
  )

type Answer = { status: number; body?: unknown }

/** A fake Sentry answering each request with the next scripted answer; errors (>= 300) throw as the client does. */
function sentry(...answers: Answer[]) {
  const sent: PlannedRequest[] = []
  const send: SendRequest = async request => {
    sent.push(request)
    const { status, body } = answers[sent.length - 1] ?? { status: 500 }
    if (status >= 300) throw new SentryError(status, typeof body === 'string' ? body : `status ${status}`)
    return body
  }
  return { send, sent }
}

/** A release as Sentry returns it once it holds the plan's fields (and these projects). */
const holding = (plan: Plan, projects = ['web']) => ({ ...RELEASE, ...plan.fields, projects: projects.map(slug => ({ slug })) })
/** The least a release answer has (releaseAnswer checks it). */
const RELEASE = { version: 'v1', commitCount: 0, deployCount: 0 }

describe('writeRelease: the create first when projects are known', () => {
  test('a new tag: one POST (201), nothing more', async () => {
    const plan = planFor(['web'])
    const { send, sent } = sentry({ status: 201, body: holding(plan) })
    expect(await writeRelease(plan, send)).toEqual(holding(plan))
    expect(sent).toEqual([plan.create])
  })

  test('a rerun: one POST (208) whose release holds the fields already', async () => {
    const plan = planFor(['web'])
    const { send, sent } = sentry({ status: 208, body: { ...holding(plan), dateReleased: '2024-06-01T10:00:00Z' } })
    await writeRelease(plan, send)
    expect(sent).toHaveLength(1)
  })

  test('a release an SDK or another workflow made first (208, or 201 adding the project): the fields that differ follow in a PUT', async () => {
    const plan = planFor(['web'])
    const existing = {
      ...RELEASE,
      ref: null,
      url: 'https://example.com/other',
      dateReleased: null,
      projects: [{ slug: 'api' }, { slug: 'web' }]
    }
    const { send, sent } = sentry({ status: 201, body: existing }, { status: 200, body: holding(plan, ['api', 'web']) })
    core.info.mockClear()
    expect(await writeRelease(plan, send)).toEqual(holding(plan, ['api', 'web']))
    expect(sent).toEqual([plan.create, { method: 'PUT', path: plan.update.path, body: plan.fields }])
    expect(core.info).toHaveBeenCalledWith(
      'Sentry had release v1 already, and its create leaves ref, url, dateReleased as they were: updating them.'
    )
  })

  test('only what differs is sent', () => {
    const plan = planFor(['web'])
    expect(unappliedFields(plan, { ...holding(plan), url: null })).toEqual(['url'])
    expect(unappliedFields(plan, { ...holding(plan), dateReleased: '2024-06-01T10:00:00Z' })).toEqual([])
    expect(unappliedFields({ ...plan, fields: { ref: HEAD } }, { ref: HEAD, dateReleased: null })).toEqual([])
  })

  test('a wrong org: the create answers 404, reported as such (no "creating it" before)', async () => {
    const { send, sent } = sentry({ status: 404, body: "Sentry has no org 'acme'" })
    await expect(writeRelease(planFor(['web']), send)).rejects.toThrow("Sentry has no org 'acme'")
    expect(sent).toHaveLength(1)
  })
})

describe('writeRelease: the update first when the release cannot be created', () => {
  test('no projects: the PUT alone; a 404 fails naming projects, sending nothing more', async () => {
    const plan = planFor([])
    const first = sentry({ status: 200, body: RELEASE })
    await writeRelease(plan, first.send)
    expect(first.sent).toEqual([plan.update])
    const missing = sentry({ status: 404 })
    await expect(writeRelease(plan, missing.send)).rejects.toThrow("Input 'projects': Sentry has no release \"v1\" in org 'acme'")
    expect(missing.sent).toHaveLength(1)
  })

  test('create: false with projects: a release lacking one gets it through the create, which only adds projects', async () => {
    const plan = planFor(['web'], false)
    const { send, sent } = sentry(
      { status: 200, body: { ...holding(plan, ['api']) } },
      { status: 201, body: holding(plan, ['api', 'web']) }
    )
    expect(await writeRelease(plan, send)).toEqual(holding(plan, ['api', 'web']))
    expect(sent).toEqual([
      plan.update,
      { method: 'POST', path: 'organizations/acme/releases/', body: { version: 'v1', projects: ['web'] } }
    ])
    const already = sentry({ status: 200, body: holding(plan, ['web']) })
    await writeRelease(plan, already.send)
    expect(already.sent).toHaveLength(1)
  })

  test('other errors pass through', async () => {
    const { send } = sentry({ status: 400 })
    await expect(writeRelease(planFor([]), send)).rejects.toThrow('status 400')
  })
})

describe('repositoryKind: the repository Sentry fetch_commits would use', () => {
  const repository = (id: string, provider: string, name = 'acme/web', status = 'active') => ({
    id,
    name,
    status,
    provider: { id: provider }
  })
  test.each([
    ['integration', [repository('7', 'integrations:github')]],
    ['no-integration', [repository('7', 'unknown')]],
    ['integration', [repository('3', 'unknown'), repository('9', 'integrations:github')]],
    ['no-integration', [repository('9', 'unknown'), repository('3', 'integrations:github')]],
    ['absent', [repository('7', 'integrations:github', 'acme/web-old'), repository('8', 'integrations:github', 'acme/web', 'disabled')]],
    ['absent', { detail: 'not a list' }]
  ])('%s <- %j', (kind, list) => expect(repositoryKind(list, 'acme/web')).toBe(kind))
})

describe('publish: where the commits come from in auto mode', () => {
  const local = (plan: Plan): Plan => ({
    ...plan,
    commitSource: 'local',
    update: { ...plan.update, body: { commits: [] } },
    warnings: ['local']
  })
  const repos = (provider: string): Answer => ({
    status: 200,
    body: [{ id: '1', name: 'acme/web', status: 'active', provider: { id: provider } }]
  })

  test('a repository with an integration: refs, said once', async () => {
    const plan = planFor([])
    const { send, sent } = sentry(repos('integrations:github'), { status: 200, body: RELEASE })
    core.info.mockClear()
    expect(await publish(plan, send, async () => local(plan))).toEqual({ plan, release: RELEASE })
    expect(sent.map(request => `${request.method} ${request.path}`)).toEqual([
      'GET organizations/acme/repos/?query=acme%2Fweb&per_page=100',
      'PUT organizations/acme/releases/v1/'
    ])
    expect(core.info).toHaveBeenCalledWith("Sentry's repository acme/web has an integration: Sentry fetches the commits (refs).")
  })

  test('a repository without integration (made by commits an earlier run sent): the commits from git, with a notice', async () => {
    const plan = planFor([])
    const { send, sent } = sentry(repos('unknown'), { status: 200, body: RELEASE })
    core.notice.mockClear()
    core.warning.mockClear()
    expect((await publish(plan, send, async () => local(plan))).plan.commitSource).toBe('local')
    expect(sent[1]).toEqual(local(plan).update)
    expect(core.notice.mock.calls).toEqual([
      [expect.stringMatching(/^Sentry's repository 'acme\/web' has no integration/), { title: 'Commits from git for acme/web' }]
    ])
    expect(core.warning.mock.calls).toEqual([['local', { title: 'Sentry release v1' }]])
  })

  test('no such repository: a warning saying how to connect it, then the commits from git; the range sent is logged', async () => {
    const plan = { ...planFor([]), warnings: ['both'] }
    const localPlan = { ...local(plan), warnings: ['both', 'local only'] }
    const { send, sent } = sentry({ status: 200, body: [] }, { status: 200, body: RELEASE })
    core.warning.mockClear()
    core.info.mockClear()
    core.startGroup.mockClear()
    await publish(plan, send, async () => localPlan)
    expect(sent).toHaveLength(2)
    expect(core.warning.mock.calls.map(([text]) => text)).toEqual([
      expect.stringMatching(/^Sentry has no repository 'acme\/web' in org 'acme'/),
      'local only'
    ])
    expect(core.info.mock.calls).toEqual([[rangeText(localPlan)]])
    expect(core.warning.mock.calls[0][1]).toEqual({ title: 'Sentry does not know repository acme/web' })
    // Reading git again (and deepening a shallow checkout) is one collapsed block of the log.
    expect(core.startGroup.mock.calls).toEqual([['Reading the commits from git instead']])
  })

  test('a token that may not list repositories (403): refs, and "Invalid repository names" falls back to git', async () => {
    const plan = planFor([])
    const { send, sent } = sentry(
      { status: 403 },
      { status: 400, body: 'refs: Invalid repository names: acme/web' },
      { status: 200, body: RELEASE }
    )
    core.warning.mockClear()
    expect((await publish(plan, send, async () => local(plan))).plan.commitSource).toBe('local')
    expect(sent.map(request => request.method)).toEqual(['GET', 'PUT', 'PUT'])
    expect(core.warning.mock.calls[0][0]).toMatch(/^Sentry has no repository 'acme\/web'/)
  })

  test('a wrong token fails at the lookup, as it would on the release', async () => {
    const { send, sent } = sentry({ status: 401, body: 'Invalid token' })
    await expect(publish(planFor([]), send, async () => local(planFor([])))).rejects.toThrow('Invalid token')
    expect(sent).toHaveLength(1)
  })

  test('any failure of the lookup but a 403 (a proxy, a server down, a page that is not Sentry) fails there, once', async () => {
    for (const status of [500, 502, 400]) {
      const { send, sent } = sentry({ status })
      await expect(publish(planFor([]), send, async () => local(planFor([])))).rejects.toThrow(`status ${status}`)
      expect(sent).toHaveLength(1)
    }
    const notSentry = sentry({ status: 200, body: '<html>login</html>' })
    await expect(publish(planFor([]), notSentry.send, async () => local(planFor([])))).rejects.toThrow("check 'sentry_url'")
    expect(notSentry.sent).toHaveLength(1)
  })

  test('without fallbackToLocal (set_commits: manual) no lookup, and errors pass through', async () => {
    const plan = { ...planFor([]), fallbackToLocal: false }
    const { send, sent } = sentry({ status: 400, body: 'refs: Invalid repository names: acme/web' })
    await expect(publish(plan, send, async () => local(plan))).rejects.toThrow('Invalid repository names: acme/web')
    expect(sent).toEqual([plan.update])
  })
})
