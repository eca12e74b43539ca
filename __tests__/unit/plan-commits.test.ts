import { describe, expect, test } from '@jest/globals'
import type { CommitData } from '../../src/core/commit-data.js'
import { buildPlan } from '../../src/core/plan.js'
import { HEAD, PREVIOUS, settingsWith, tagPushPlanInputs } from '../helpers/fixtures.js'

const data: CommitData = {
  commits: [{ id: HEAD, repository: 'acme/web', message: 'm', author_name: 'A', timestamp: '2024-01-01T00:00:00Z', patch_set: [] }],
  total: 1,
  droppedPaths: 0
}
const inputs = tagPushPlanInputs({
  settings: settingsWith({ projects: ['web'] }),
  range: { head: HEAD, previous: PREVIOUS, previousTag: 'v1.1.0', tagPattern: 'v*' }
})

describe('buildPlan with commit data', () => {
  test('auto: refs, and a fallback to local commits when Sentry does not know the repository', () => {
    const plan = buildPlan(inputs)
    expect(plan).toMatchObject({ commitSource: 'refs', fallbackToLocal: true, paths: [] })
    expect(plan.update.body).not.toHaveProperty('commits')
  })

  test('local commits replace refs in the update and in the create', () => {
    const plan = buildPlan({ ...inputs, settings: settingsWith({ projects: ['web'], paths: ['apps/web/**'] }), commits: data })
    expect(plan).toMatchObject({ commitSource: 'local', fallbackToLocal: false, commitData: data, paths: ['apps/web/**'] })
    expect(plan.update.body).toEqual(expect.objectContaining({ commits: data.commits }))
    expect(plan.update.body).not.toHaveProperty('refs')
    expect(plan.create).toMatchObject({ method: 'POST', body: { version: 'v1.2.0', commits: data.commits } })
  })

  test('manual and skip never fall back', () => {
    expect(buildPlan({ ...inputs, settings: settingsWith({ setCommits: 'manual' }) }).fallbackToLocal).toBe(false)
    expect(buildPlan({ ...inputs, settings: settingsWith({ setCommits: 'skip' }) })).toMatchObject({
      commitSource: 'none',
      fallbackToLocal: false
    })
  })

  test('a first release with local commits says how many it sends', () => {
    const plan = buildPlan({ ...inputs, range: { head: HEAD, tagPattern: 'v*' }, commits: data })
    expect(plan.notices).toEqual([
      "No previous commit (no earlier tag matching 'v*' precedes this release): sending up to 20 commits from git (initial_depth)."
    ])
  })

  test('an empty range fails naming ignore_empty, or is a notice with it', () => {
    const empty = { ...data, commits: [], total: 0 }
    const range = `${PREVIOUS.slice(0, 12)}..${HEAD.slice(0, 12)}`
    expect(() => buildPlan({ ...inputs, commits: empty })).toThrow(
      `Input 'ignore_empty': the commit range ${range} has no commits; set ignore_empty: true to release it anyway`
    )
    const head = { head: HEAD, previous: HEAD }
    expect(() => buildPlan({ ...inputs, range: head })).toThrow("Input 'ignore_empty'")
    const ignored = buildPlan({ ...inputs, settings: settingsWith({ ignoreEmpty: true }), commits: empty })
    expect(ignored.notices).toEqual([`The commit range ${range} has no commits (ignore_empty): the release is updated without commits.`])
    expect(ignored.update.body).not.toHaveProperty('commits')
  })

  test('the cap is a warning', () => {
    const capped = { ...data, total: 5 }
    expect(buildPlan({ ...inputs, settings: settingsWith({ maxCommits: 1 }), commits: capped }).warnings).toEqual([
      'The range has 5 commits; Sentry gets the newest 1 (raise max_commits to send more).'
    ])
  })
})
