import { describe, expect, test } from '@jest/globals'
import { isSameDeploy, planDeploy, releaseAfterDeploy } from '../../src/core/deploy-plan.js'
import type { DeployIntent } from '../../src/core/deployment-event.js'
import { buildPlan } from '../../src/core/plan.js'
import { planText, releaseOutputs, summaryMarkdown } from '../../src/core/report-text.js'
import { settingsWith, tagPushPlanInputs } from '../helpers/fixtures.js'

const STARTED = '2024-06-01T10:00:00.000Z'
const FINISHED = '2024-06-01T10:05:00.000Z'
const success: DeployIntent = {
  kind: 'deploy',
  environment: 'production',
  url: 'https://acme.example.com',
  dateStarted: STARTED,
  dateFinished: FINISHED
}
const PATH = 'organizations/acme/releases/v1.2.0/deploys/'

describe('planDeploy', () => {
  test('a finished deployment: POST with every field known, the GET to recognise a rerun first', () => {
    expect(planDeploy(settingsWith({ projects: ['web'] }), success, 'v1.2.0', undefined)).toEqual({
      create: {
        method: 'POST',
        path: PATH,
        body: {
          environment: 'production',
          url: 'https://acme.example.com',
          dateStarted: STARTED,
          dateFinished: FINISHED,
          projects: ['web']
        }
      },
      list: { method: 'GET', path: PATH }
    })
  })

  test("a deployment's url longer than Sentry stores (200 characters) is left out, with a notice", () => {
    const long = { ...success, url: `https://acme.example.com/${'x'.repeat(180)}` }
    const planned = planDeploy(settingsWith(), long, 'v1.2.0', undefined)
    expect(planned?.create.body).not.toHaveProperty('url')
    expect(planned?.notice).toBe(
      "The deployment's url has more than 200 characters, Sentry's limit: the deploy is recorded without it (set deploy_url to choose one)."
    )
  })

  test('inputs override the payload; projects are left out when unknown', () => {
    const settings = settingsWith({ environment: 'staging', deployName: 'blue', deployUrl: 'https://s.example.com', startedAt: FINISHED })
    expect(planDeploy(settings, success, 'v1.2.0', undefined)?.create.body).toEqual({
      environment: 'staging',
      name: 'blue',
      url: 'https://s.example.com',
      dateStarted: FINISHED,
      dateFinished: FINISHED
    })
  })

  test('no environment: no deploy; an environment input on any event: a deploy started at the event', () => {
    expect(planDeploy(settingsWith(), { kind: 'deploy' }, 'v1', STARTED)).toBeUndefined()
    expect(planDeploy(settingsWith({ environment: 'production' }), { kind: 'deploy' }, 'v1', STARTED)?.create.body).toEqual({
      environment: 'production',
      dateStarted: STARTED
    })
  })

  test('no start time to recognise a rerun by: no GET', () => {
    expect(planDeploy(settingsWith({ environment: 'production' }), { kind: 'deploy' }, 'v1', undefined)).toEqual({
      create: { method: 'POST', path: 'organizations/acme/releases/v1/deploys/', body: { environment: 'production' } }
    })
  })

  test('release-only and nothing intents: no deploy, even with the environment input', () => {
    const settings = settingsWith({ environment: 'production' })
    expect(planDeploy(settings, { kind: 'release-only', notice: 'n' }, 'v1', STARTED)).toBeUndefined()
    expect(planDeploy(settings, { kind: 'nothing', notice: 'n' }, 'v1', STARTED)).toBeUndefined()
  })

  test.each([
    ['prod/eu', "Input 'environment': Sentry forbids '/' in an environment name: \"prod/eu\""],
    ['prod\neu', 'Input \'environment\': Sentry forbids a newline in an environment name: "prod\\neu"'],
    ['prod\reu', 'Input \'environment\': Sentry forbids a carriage return in an environment name: "prod\\reu"'],
    ['prod\feu', 'Input \'environment\': Sentry forbids a form feed in an environment name: "prod\\feu"'],
    [
      'e'.repeat(65),
      `Input 'environment': Sentry allows at most 64 characters in an environment name, this one has 65: "${'e'.repeat(65)}"`
    ],
    ['  ', 'Input \'environment\': the environment name is empty: "  "']
  ])('environment %j is rejected like Sentry does, naming the input', (environment, message) => {
    expect(() => planDeploy(settingsWith({ environment }), { kind: 'deploy' }, 'v1', undefined)).toThrow(message)
  })

  test('a bad environment from the payload names the input and says where it came from', () => {
    expect(() => planDeploy(settingsWith(), { ...success, environment: 'a/b' }, 'v1', undefined)).toThrow(
      `Input 'environment': Sentry forbids '/' in an environment name: "a/b" (the deployment's environment)`
    )
  })

  test('64 characters and spaces are fine; a 65-character name is not', () => {
    expect(planDeploy(settingsWith({ environment: `${'e'.repeat(60)} x y` }), { kind: 'deploy' }, 'v1', undefined)).toBeDefined()
    expect(() => planDeploy(settingsWith({ environment: 'p', deployName: 'n'.repeat(65) }), { kind: 'deploy' }, 'v1', undefined)).toThrow(
      "Input 'deploy_name': Sentry allows at most 64 characters, 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn' has 65"
    )
  })
})

describe('isSameDeploy: a rerun of the same event', () => {
  const planned = { environment: 'production', dateStarted: STARTED, dateFinished: FINISHED }
  const recorded = {
    id: '7',
    environment: 'production',
    name: null,
    url: null,
    dateStarted: '2024-06-01T10:00:00Z',
    dateFinished: '2024-06-01T10:05:00Z'
  }

  test('same environment, name, start and finish instants (any format)', () => {
    expect(isSameDeploy(planned, recorded)).toBe(true)
    expect(isSameDeploy({ ...planned, name: 'blue' }, { ...recorded, name: 'blue' })).toBe(true)
  })

  test("a finished deploy is not the deployment event's deploy with the same start; a planned one without finish matches either", () => {
    const startedOnly = { ...recorded, dateFinished: '2024-06-01T10:00:02Z' }
    expect(isSameDeploy(planned, startedOnly)).toBe(false)
    const { dateFinished: _, ...withoutFinish } = planned
    expect(isSameDeploy(withoutFinish, startedOnly)).toBe(true)
    expect(isSameDeploy(withoutFinish, recorded)).toBe(true)
  })

  test('another environment, name or start is another deploy; no start never matches', () => {
    expect(isSameDeploy(planned, { ...recorded, environment: 'staging' })).toBe(false)
    expect(isSameDeploy({ ...planned, name: 'blue' }, recorded)).toBe(false)
    expect(isSameDeploy(planned, { ...recorded, dateStarted: '2024-06-01T10:00:01Z' })).toBe(false)
    expect(isSameDeploy({ environment: 'production' }, { ...recorded, dateStarted: null })).toBe(false)
  })
})

test('releaseAfterDeploy: one more deploy, and it is the last one', () => {
  const deploy = { id: '9', environment: 'production' }
  expect(releaseAfterDeploy({ version: 'v1', deployCount: 2, lastDeploy: null }, deploy)).toEqual({
    version: 'v1',
    deployCount: 3,
    lastDeploy: deploy
  })
})

describe('the plan, dry run, outputs and summary with a deploy', () => {
  const inputs = tagPushPlanInputs({ settings: settingsWith({ projects: ['web'] }), now: new Date(STARTED), deploy: success })
  const plan = buildPlan(inputs)

  test('buildPlan carries the deploy; a release-only intent becomes a notice', () => {
    expect(plan.deploy?.create.path).toBe(PATH)
    const pending = buildPlan({ ...inputs, deploy: { kind: 'release-only', notice: 'still pending' } })
    expect(pending.deploy).toBeUndefined()
    expect(pending.notices).toContain('still pending')
  })

  test('a dry run prints the GET and the POST', () => {
    const text = planText(plan)
    expect(text).toContain(
      "Then, unless the release's deploys already include one with the same environment, name and times (a rerun):\n" +
        `GET https://sentry.example.com/api/0/${PATH}\nPOST https://sentry.example.com/api/0/${PATH}\n` +
        JSON.stringify(plan.deploy?.create.body, null, 2)
    )
    expect(summaryMarkdown(plan)).toContain(
      '| Deploy | <a href="https://sentry.example.com/organizations/acme/releases/v1.2.0/?environment=production"><code>production</code></a>' +
        ` · started ${STARTED} · finished ${FINISHED} · <a href="https://acme.example.com">https://acme.example.com</a> (planned) |`
    )
    expect(summaryMarkdown(plan)).toContain(`POST https://sentry.example.com/api/0/${PATH}`)
  })

  const deploy = {
    id: '12',
    environment: 'production',
    name: null,
    url: 'https://acme.example.com',
    dateStarted: STARTED,
    dateFinished: FINISHED
  }
  const release = releaseAfterDeploy({ version: 'v1.2.0', commitCount: 1, deployCount: 4, newGroups: 0 }, deploy)

  test('outputs: deployId, deployCount counting the new deploy, lastDeploy as JSON', () => {
    expect(releaseOutputs(plan, release, { deploy, created: true, release })).toMatchObject({
      deployId: '12',
      deployCount: '5',
      lastDeploy: JSON.stringify(deploy)
    })
    expect(releaseOutputs(plan, { ...release, lastDeploy: null })).not.toHaveProperty('lastDeploy')
  })

  test('summary: the deploy recorded, or found from an earlier run', () => {
    const row = (created: boolean) =>
      summaryMarkdown(plan, release, { deploy, created, release })
        .split('\n')
        .find(line => line.startsWith('| Deploy |'))
    expect(row(true)).toBe(
      '| Deploy | <a href="https://sentry.example.com/organizations/acme/releases/v1.2.0/?environment=production"><code>production</code></a>' +
        ` · started ${STARTED} · finished ${FINISHED} · <a href="https://acme.example.com">https://acme.example.com</a> |`
    )
    expect(row(false)).toMatch(/ \(recorded by an earlier run of this event; not sent again\) \|$/)
  })

  test("summary: a server's runaway deploy name is cut to 1,000 characters and keeps its row on one line", () => {
    const hostile = { ...deploy, name: `line\r\n| row | injected |\n${'x'.repeat(5_000_000)}` }
    const markdown = summaryMarkdown(plan, release, { deploy: hostile, created: true, release })
    const row = markdown.split('\n').find(line => line.startsWith('| Deploy |')) ?? ''
    expect(row).toContain(' · line&#13;&#10;&#124; row &#124; injected &#124;&#10;xxx')
    expect(row).toContain('x…')
    expect(markdown).not.toContain('| row |')
    expect(markdown.length).toBeLessThan(4000)
  })
})
