import { describe, expect, test } from '@jest/globals'
import { pushTagIn, seedWithReleases, useE2eFixture } from '../helpers/e2e-fixture.js'
import { annotations, annotationsWithTitles } from '../../harness/run-action.js'

// What a newcomer reads in the log and the job summary, from a trial of the bundled action (issue #14).
const fx = useE2eFixture('v1.1.0', 'v1.2.0')
const errors = (stdout: string) =>
  annotations(stdout)
    .filter(([kind]) => kind === 'error')
    .map(([, message]) => message)

describe('the log', () => {
  test("Sentry's commitCount beside the commits git counts in the range", async () => {
    const run = await fx.pushTag('v1.2.0', { wait_for_commits: '10' })
    expect(run.code).toBe(0)
    const [c1, c3] = [fx.commits[1], fx.commits[3]]
    expect(run.stdout).toContain(
      `Sentry release v1.2.0: commitCount 2 (git counts 2 commits in ${c1.slice(0, 12)}..${c3.slice(0, 12)}), deployCount 0: `
    )
  })

  test('a dry run: the plan is one collapsed group', async () => {
    const run = await fx.pushTag('v1.2.0', { dry_run: 'true' })
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    const start = lines.indexOf('::group::Dry run: the requests for release v1.2.0 (nothing is sent)')
    const end = lines.indexOf('::endgroup::', start)
    expect(start).toBeGreaterThanOrEqual(0)
    const grouped = lines.slice(start + 1, end)
    expect(grouped).toEqual(expect.arrayContaining(['Dry run: nothing is sent to Sentry. The plan for release v1.2.0:']))
    expect(grouped.some(line => line.startsWith('PUT '))).toBe(true)
  })

  test('annotations carry a title', async () => {
    fx.emulator.reset(seedWithReleases('v1.0.0'))
    const run = await fx.pushTag('v1.0.0')
    expect(run.code).toBe(0)
    expect(annotationsWithTitles(run.stdout)).toEqual([
      ['notice', expect.stringMatching(/^No previous commit \(no earlier tag matching 'v\*' precedes/), 'Sentry release v1.0.0']
    ])
  })
})

describe('a wrong org', () => {
  test('is reported as the org, with no word of creating a release first: at the repository lookup, or at the create', async () => {
    const run = await fx.pushTag('v1.2.0', { org: 'nope' })
    expect(run.code).toBe(1)
    expect(errors(run.stdout)).toEqual([
      'Sentry answered 404 to GET /api/0/organizations/nope/repos/?query=acme%2Fweb&per_page=100: The requested resource does not exist ' +
        "(Sentry has no org 'nope', or the token cannot see org 'nope': check 'org')"
    ])
    const skip = await fx.pushTag('v1.2.0', { org: 'nope', set_commits: 'skip' })
    const orgError = /^Sentry answered 404 to POST \/api\/0\/organizations\/nope\/releases\/: .*Sentry has no org 'nope'/
    expect(errors(skip.stdout)).toEqual([expect.stringMatching(orgError)])
    expect(run.stdout + skip.stdout).not.toMatch(/creat(e|ing|ed) it/)
  })
})

describe('a tag Sentry forbids as a release name', () => {
  test("names the tag and says to set 'release', sending nothing", async () => {
    await fx.repo.tag('team/v1.0')
    const run = await pushTagIn(fx.repo, fx.emulator.url, 'team/v1.0')
    expect(run.code).toBe(1)
    expect(errors(run.stdout)).toEqual([
      `Tag "team/v1.0" cannot name a Sentry release (Sentry forbids '/' in a release name): set 'release' to a name Sentry accepts`
    ])
    expect(fx.emulator.requests).toEqual([])
    expect(run.summary).toContain('| Sentry holds | the release as it was before this run: nothing was sent. |')
  })
})

describe('a failed run still writes a job summary', () => {
  test('what failed, the range, and what Sentry holds', async () => {
    fx.emulator.addFault({ method: 'PUT', path: '/releases/', status: 503, times: Infinity })
    const run = await fx.pushTag('v1.2.0', { request_timeout: '5' }, { SENTRY_RELEASE_ACTION_RETRY_BUDGET_MS: '200' })
    expect(run.code).toBe(1)
    const [failure] = errors(run.stdout)
    expect(failure).toMatch(/^Sentry answered 503 to PUT \/api\/0\/organizations\/acme\/releases\/v1\.2\.0\/: /)
    const page = `${fx.emulator.url}/organizations/acme/releases/v1.2.0/`
    expect(run.summary).toContain(`### Sentry release <a href="${page}"><code>v1.2.0</code></a>: failed`)
    expect(run.summary).toContain('| Failed | Sentry answered 503 to PUT /api/0/organizations/acme/releases/v1.2.0/: ')
    expect(run.summary).toContain(`| Commits | <a href="https://github.com/acme/web/commit/${fx.commits[1]}">`)
    expect(run.summary).toContain(
      '| Sentry holds | release v1.2.0 as it was before this run, except what the error says Sentry kept: no request succeeded'
    )
    expect(run.outputs).toEqual({})
  })
})
