import { describe, expect, test } from '@jest/globals'
import { buildPlan } from '../../src/core/plan.js'
import { failureMarkdown, planText, rangeText, releaseOutputs, summaryMarkdown } from '../../src/core/report-text.js'
import { HEAD, PREVIOUS, settingsWith, tagPushPlanInputs } from '../helpers/fixtures.js'

const inputs = tagPushPlanInputs({
  settings: settingsWith({ projects: ['web'] }),
  range: { head: HEAD, previous: PREVIOUS, previousTag: 'v1.1.0', tagPattern: 'v*' },
  now: new Date('2024-06-01T10:00:00Z')
})
const plan = buildPlan(inputs)
const release = {
  version: 'v1.2.0',
  commitCount: 3,
  deployCount: 1,
  newGroups: 0,
  dateCreated: '2024-05-31T09:00:00Z',
  dateReleased: '2024-06-01T10:00:00Z',
  lastCommit: { id: HEAD, message: 'four' }
}

const sentCommit = (id: string) => ({
  id,
  repository: 'acme/web',
  message: id,
  author_name: 'a',
  timestamp: '2024-01-01T00:00:00Z',
  patch_set: []
})
const firstFromGit = buildPlan({
  ...inputs,
  range: { head: HEAD, tagPattern: 'v*' },
  commits: { commits: [sentCommit(HEAD), sentCommit(PREVIOUS)], total: 2, droppedPaths: 0 }
})

describe('releaseOutputs', () => {
  test("from Sentry's answer", () => {
    expect(releaseOutputs(plan, release)).toEqual({
      release: 'v1.2.0',
      version: 'v1.2.0',
      commitCount: '3',
      deployCount: '1',
      newGroups: '0',
      dateCreated: '2024-05-31T09:00:00Z',
      dateReleased: '2024-06-01T10:00:00Z',
      headCommit: HEAD,
      previousCommit: PREVIOUS,
      commitRange: `${PREVIOUS}..${HEAD}`,
      commitsSent: '0',
      lastCommit: HEAD,
      releaseUrl: 'https://sentry.example.com/organizations/acme/releases/v1.2.0/',
      json: JSON.stringify(release)
    })
  })

  test('a dry run: only what the plan knows', () => {
    expect(releaseOutputs(plan)).toEqual({
      release: 'v1.2.0',
      version: 'v1.2.0',
      dateReleased: '2024-06-01T10:00:00.000Z',
      headCommit: HEAD,
      previousCommit: PREVIOUS,
      commitRange: `${PREVIOUS}..${HEAD}`,
      commitsSent: '0',
      releaseUrl: 'https://sentry.example.com/organizations/acme/releases/v1.2.0/'
    })
  })

  test('no lastCommit yet and no previous commit', () => {
    const first = buildPlan({ ...inputs, range: { head: HEAD, tagPattern: 'v*' } })
    const outputs = releaseOutputs(first, { ...release, lastCommit: null })
    expect(outputs).not.toHaveProperty('lastCommit')
    expect(outputs).not.toHaveProperty('previousCommit')
  })
})

describe('summaryMarkdown', () => {
  test('release, repository, linked range, counts with the background note, Sentry link', () => {
    // Sentry still shows an earlier range's last commit: its fetch of this range has not finished.
    expect(summaryMarkdown(plan, { ...release, lastCommit: { id: PREVIOUS, message: 'one' } })).toBe(
      [
        '### Sentry release <code>v1.2.0</code>',
        '',
        '| | |',
        '|---|---|',
        '| Release | <a href="https://sentry.example.com/organizations/acme/releases/v1.2.0/"><code>v1.2.0</code></a> |',
        '| Repository | acme/web |',
        `| Commits | <a href="https://github.com/acme/web/commit/${PREVIOUS}"><code>aaaaaaaaaaaa</code></a> (<code>v1.1.0</code>) → ` +
          `<a href="https://github.com/acme/web/commit/${HEAD}"><code>bbbbbbbbbbbb</code></a> (<code>v1.2.0</code>) · ` +
          `<a href="https://github.com/acme/web/compare/${PREVIOUS}...${HEAD}">compare</a> |`,
        '| commitCount | 3 (Sentry fetches the commits in the background, so commitCount may still rise.) |',
        '| deployCount | 1 |',
        ''
      ].join('\n')
    )
  })

  test('no background note once Sentry was seen listing the range (listsRange), nor for an empty range', () => {
    const fetched = { ...release, commitCount: 3, lastCommit: { id: HEAD } }
    expect(summaryMarkdown(plan, fetched, undefined, undefined, true)).toContain('| commitCount | 3 |')
    expect(summaryMarkdown(plan, fetched, undefined, undefined, false)).toContain('| commitCount | 3 (Sentry fetches')
    const empty = buildPlan({
      ...inputs,
      range: { head: HEAD, previous: HEAD },
      settings: settingsWith({ projects: ['web'], ignoreEmpty: true })
    })
    expect(summaryMarkdown(empty, fetched)).toContain('| commitCount | 3 |')
  })

  test('first release and dry run', () => {
    const first = buildPlan({ ...inputs, range: { head: HEAD, tagPattern: 'v*' } })
    const markdown = summaryMarkdown(first)
    expect(markdown).toContain('### Sentry release <code>v1.2.0</code> (dry run: nothing sent)')
    expect(markdown).toContain(`| Commits | start chosen by Sentry → <a href="https://github.com/acme/web/commit/${HEAD}">`)
    expect(markdown).toContain('POST https://sentry.example.com/api/0/organizations/acme/releases/\n{\n  "version": "v1.2.0"')
    expect(markdown).not.toContain('commitCount')
  })

  // The action chose the start (initial_depth) and sent the commits: Sentry chose nothing.
  test('a first release with commits from git says which commits were sent', () => {
    const markdown = summaryMarkdown(firstFromGit, release)
    expect(markdown).toContain(
      `| Commits | first release: the newest commits up to <a href="https://github.com/acme/web/commit/${HEAD}"><code>${HEAD.slice(0, 12)}</code></a> (<code>v1.2.0</code>) (initial_depth) · 2 commits sent from git |`
    )
    expect(markdown).not.toContain('chosen by Sentry')
  })

  test('a deploy that failed after the release was updated: the release rows, and the deploy marked not recorded, with why', () => {
    const deployPlan = buildPlan({ ...inputs, deploy: { kind: 'deploy', environment: 'production', dateStarted: '2024-06-01T09:50:00Z' } })
    const markdown = summaryMarkdown(deployPlan, release, undefined, 'Sentry answered 503 to POST /api/0/x/: <busy> after 4 attempts')
    expect(markdown).toContain('| deployCount | 1 |')
    expect(markdown).toContain(
      '| Deploy | <a href="https://sentry.example.com/organizations/acme/releases/v1.2.0/?environment=production"><code>production</code></a> · ' +
        'started 2024-06-01T09:50:00Z (<strong>not recorded</strong>: Sentry answered 503 to POST /api/0/x/: &#60;busy&#62; after 4 attempts) |'
    )
  })

  test('names from tags are escaped', () => {
    const odd = buildPlan({ ...inputs, target: { kind: 'tag', tag: 'v<b>|1', sha: HEAD } })
    expect(summaryMarkdown(odd, release)).toContain('<code>v&#60;b&#62;&#124;1</code>')
  })
})

describe('planText', () => {
  test('every request, as it would be sent, and when it follows', () => {
    const createBody = JSON.stringify({ version: 'v1.2.0', projects: ['web'], ...plan.update.body }, null, 2)
    const fields = JSON.stringify(plan.fields, null, 2)
    expect(planText(plan)).toBe(
      [
        'Dry run: nothing is sent to Sentry. The plan for release v1.2.0:',
        'First, which kind of repository acme/web is in Sentry (refs need one with an integration):',
        'GET https://sentry.example.com/api/0/organizations/acme/repos/?query=acme%2Fweb&per_page=100',
        `POST https://sentry.example.com/api/0/organizations/acme/releases/\n${createBody}`,
        'If Sentry had the release already (its create leaves ref, url and dateReleased as they were), the fields that differ:',
        `PUT https://sentry.example.com/api/0/organizations/acme/releases/v1.2.0/\n${fields}`,
        "If Sentry's repository acme/web has no integration (or none exists): the same request with commits read from git instead of refs."
      ].join('\n')
    )
  })

  test('without projects: the update, then what a 404 means', () => {
    const noProjects = buildPlan({ ...inputs, settings: settingsWith({ setCommits: 'manual' }) })
    const body = JSON.stringify(noProjects.update.body, null, 2)
    expect(planText(noProjects)).toBe(
      [
        'Dry run: nothing is sent to Sentry. The plan for release v1.2.0:',
        `PUT https://sentry.example.com/api/0/organizations/acme/releases/v1.2.0/\n${body}`,
        `If Sentry has no such release: fail: ${String((noProjects.create as Error).message)}`
      ].join('\n')
    )
  })
})

describe('rangeText', () => {
  test.each([
    [inputs.range, `Release v1.2.0 of acme/web: commits after aaaaaaaaaaaa (v1.1.0) up to bbbbbbbbbbbb (v1.2.0).`],
    [{ head: HEAD }, `Release v1.2.0 of acme/web: commits from a start Sentry chooses up to bbbbbbbbbbbb (v1.2.0).`]
  ])('%j', (range, text) => expect(rangeText(buildPlan({ ...inputs, range }))).toBe(text))

  test('a first release with commits from git', () => {
    expect(rangeText(firstFromGit)).toBe(
      'Release v1.2.0 of acme/web: first release, the newest 2 commits up to bbbbbbbbbbbb (v1.2.0) from git (initial_depth).'
    )
  })

  test('skip', () => {
    const skip = buildPlan({ ...inputs, settings: settingsWith({ setCommits: 'skip' }) })
    expect(rangeText(skip)).toBe('Release v1.2.0: commits not sent (set_commits: skip).')
  })
})

describe('failureMarkdown', () => {
  test('failed before any plan: what failed, and that nothing was sent', () => {
    expect(failureMarkdown("Input 'org': is required", { requestsSent: 0, reported: false })).toBe(
      [
        '### Sentry release: failed',
        '',
        '| | |',
        '|---|---|',
        '| Failed | Input &#39;org&#39;: is required |',
        '| Sentry holds | the release as it was before this run: nothing was sent. |',
        ''
      ].join('\n')
    )
  })

  test('failed on a request: the release, the range, and that no request succeeded', () => {
    const failure = 'Sentry answered 503 to PUT /api/0/x/: <busy> after 5 attempts'
    const markdown = failureMarkdown(failure, { plan, requestsSent: 1, reported: false })
    expect(markdown).toContain(`### Sentry release <a href="${plan.releasePage}"><code>v1.2.0</code></a>: failed`)
    expect(markdown).toContain('| Failed | Sentry answered 503 to PUT /api/0/x/: &#60;busy&#62; after 5 attempts |')
    expect(markdown).toContain('| Commits | <a href="https://github.com/acme/web/commit/')
    expect(markdown).toContain(
      '| Sentry holds | release v1.2.0 as it was before this run, except what the error says Sentry kept: no request succeeded ' +
        '(one that timed out or was cut off may still have been applied; a rerun sends the same requests). |'
    )
    expect(markdown).not.toContain('commitCount')
  })

  test("failed after Sentry's release was updated: what Sentry holds, from its answer", () => {
    const markdown = failureMarkdown('later', { plan, release, requestsSent: 2, reported: false })
    expect(markdown).toContain('| Sentry holds | release v1.2.0 as updated by this run: what failed came after the update. |')
    expect(markdown).toContain('| commitCount | 3 |')
    expect(markdown).toContain('| deployCount | 1 |')
  })
})
