import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import * as core from '../../__fixtures__/core.js'
import { HEAD, PREVIOUS, settingsWith, tagPushPlanInputs } from '../helpers/fixtures.js'

jest.unstable_mockModule('@actions/core', () => core)
const { buildPlan } = await import('../../src/core/plan.js')
const { failureMarkdown, planText } = await import('../../src/core/report-text.js')
const { report, reportFailure } = await import('../../src/io/outputs.js')

// What report and reportFailure say through @actions/core: the log lines, groups and the job summary.

const range = { head: HEAD, previous: PREVIOUS, previousTag: 'v1.1.0', tagPattern: 'v*', count: 2 }
const plan = buildPlan(tagPushPlanInputs({ settings: settingsWith({ projects: ['web'] }), range }))
const release = { version: 'v1.2.0', commitCount: 2, deployCount: 0, lastCommit: { id: HEAD } }
const savedSummary = process.env.GITHUB_STEP_SUMMARY

beforeEach(() => {
  jest.clearAllMocks()
  process.env.GITHUB_STEP_SUMMARY = '/runner/summary.md'
})
afterEach(() => {
  if (savedSummary === undefined) delete process.env.GITHUB_STEP_SUMMARY
  else process.env.GITHUB_STEP_SUMMARY = savedSummary
})

describe('report', () => {
  test("Sentry's commitCount beside what git counts in the range", async () => {
    await report(plan, release)
    expect(core.info.mock.calls[0][0]).toBe(
      `Sentry release v1.2.0: commitCount 2 (git counts 2 commits in ${PREVIOUS.slice(0, 12)}..${HEAD.slice(0, 12)}), deployCount 0: ` +
        plan.releasePage
    )
    expect(core.setOutput).toHaveBeenCalledWith('commitCount', '2')
    expect(core.summary.write).toHaveBeenCalledTimes(1)
  })

  test('a first release (no start in git): no count to compare', async () => {
    await report(buildPlan(tagPushPlanInputs({ range: { head: HEAD } })), release)
    expect(core.info.mock.calls[0][0]).toMatch(/^Sentry release v1\.2\.0: commitCount 2, deployCount 0: /)
  })

  test('a dry run: the plan in one collapsed group', async () => {
    await report(plan)
    expect(core.startGroup.mock.calls).toEqual([['Dry run: the requests for release v1.2.0 (nothing is sent)']])
    expect(core.info.mock.calls).toEqual([[planText(plan)]])
    expect(core.endGroup).toHaveBeenCalledTimes(1)
    expect(core.startGroup.mock.invocationCallOrder[0]).toBeLessThan(core.info.mock.invocationCallOrder[0])
    expect(core.endGroup.mock.invocationCallOrder[0]).toBeGreaterThan(core.info.mock.invocationCallOrder[0])
  })
})

describe('reportFailure', () => {
  test('writes the failure summary', async () => {
    await reportFailure('Sentry answered 503', { plan, requestsSent: 1, reported: false })
    expect(core.summary.addRaw.mock.calls).toEqual([[failureMarkdown('Sentry answered 503', { plan, requestsSent: 1, reported: false })]])
    expect(core.summary.write).toHaveBeenCalledTimes(1)
  })

  test('no summary file from the runner: nothing written', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await reportFailure('x', { requestsSent: 0, reported: false })
    expect(core.summary.addRaw).not.toHaveBeenCalled()
  })

  test('a summary that cannot be written does not hide the failure: a debug line', async () => {
    core.summary.write.mockRejectedValueOnce(new Error('Unable to access summary file'))
    await expect(reportFailure('x', { requestsSent: 0, reported: false })).resolves.toBeUndefined()
    expect(core.debug).toHaveBeenCalledWith('Cannot write the job summary: Unable to access summary file')
  })
})
