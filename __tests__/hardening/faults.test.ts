import { describe, expect, test } from '@jest/globals'
import { STATUS_CODES } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { DEFAULT_TOKEN, startEmulator } from '../../emulator/index.js'
import { LOOKUP_LINE, pushTagIn, RELEASES_PATH, requestLines, seedWithReleases, useE2eFixture } from '../helpers/e2e-fixture.js'
import { type ActionRun, annotations } from '../../harness/run-action.js'

// Every fault of the emulator against the bundled action. Backoff is 10 ms here (run-action's test hook).
// The first write is the create (POST …/releases/, projects: web by default); with projects: '' it is the update (PUT).
// Release v1.2.0 exists without ref, url and dateReleased: after its create (208) a PUT of those fields follows.
const fx = useE2eFixture('v1.2.0')

const PUT_PATH = '/api/0/organizations/acme/releases/v1.2.0/'
/** The create's path; a fault on it with method POST hits the release's create only (deploys are under …/v1.2.0/). */
const CREATE = { method: 'POST', path: /\/releases\/$/ }
const UPDATE = { method: 'PUT', path: '/releases/' }
/** The update first: no projects, so no create. */
const UPDATE_FIRST = { projects: '' }
const DATE = { date_released: '2024-06-01T10:00:00Z' }
const COMMIT_LOCK = 'Release commits are currently being processed'
const methods = () => fx.emulator.requests.map(({ method, status }) => `${method} ${status}`)
const errors = (run: ActionRun) =>
  annotations(run.stdout)
    .filter(([kind]) => kind === 'error')
    .map(([, message]) => message)
const retryLines = (run: ActionRun) => run.stdout.split('\n').filter(line => line.includes('; retrying in '))

/** The release after a successful run: the refs were applied and Sentry's fetch filled the commits. */
async function expectReleaseApplied(): Promise<void> {
  await fx.emulator.settle()
  expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({
    ref: fx.commits[3],
    url: 'https://github.com/acme/web/releases/tag/v1.2.0',
    dateReleased: expect.stringMatching(/^2024-06-01T10:00:00(\.000)?Z$/),
    commitCount: 2,
    lastCommit: expect.objectContaining({ id: fx.commits[3] })
  })
}

/** The release after a failed run: nothing of the run reached it. */
function expectReleaseUntouched(): void {
  expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({ ref: null, dateReleased: null, commitCount: 0 })
}

describe('5xx bursts', () => {
  test.each([503, 502, 500])('%i three times, within the 5 attempts: success, the same create each time, retries logged', async status => {
    fx.emulator.addFault({ ...CREATE, status, times: 3 })
    const run = await fx.pushTag('v1.2.0', DATE)
    expect(run.code).toBe(0)
    expect(methods()).toEqual(['GET 200', `POST ${status}`, `POST ${status}`, `POST ${status}`, 'POST 208', 'PUT 200'])
    const bodies = fx.emulator.requests.filter(request => request.method === 'POST').map(request => JSON.stringify(request.body))
    expect(bodies).toHaveLength(4)
    expect(new Set(bodies).size).toBe(1)
    expect(retryLines(run).map(line => line.replace(/in \d+\.\d s/, 'in N s'))).toEqual(
      [2, 3, 4].map(next => `Sentry answered ${status}; retrying in N s (attempt ${next} of 5).`)
    )
    await expectReleaseApplied()
  })

  test('503 four times on the update (no projects): the fifth and last attempt succeeds, with the same PUT', async () => {
    fx.emulator.addFault({ ...UPDATE, status: 503, times: 4 })
    const run = await fx.pushTag('v1.2.0', { ...DATE, ...UPDATE_FIRST })
    expect(run.code).toBe(0)
    expect(methods()).toEqual(['GET 200', ...Array(4).fill('PUT 503'), 'PUT 200'])
    const bodies = fx.emulator.requests.filter(request => request.method === 'PUT').map(request => JSON.stringify(request.body))
    expect(new Set(bodies).size).toBe(1)
    expect(retryLines(run).map(line => line.replace(/in \d+\.\d s/, 'in N s'))).toEqual(
      [2, 3, 4, 5].map(next => `Sentry answered 503; retrying in N s (attempt ${next} of 5).`)
    )
    await expectReleaseApplied()
  })

  test.each([503, 502, 500])('%i beyond the budget: fails naming the status and the attempt count', async status => {
    fx.emulator.addFault({ ...CREATE, status, times: Infinity })
    const run = await fx.pushTag('v1.2.0', DATE)
    expect(run.code).toBe(1)
    expect(methods()).toEqual(['GET 200', ...Array(5).fill(`POST ${status}`)])
    expect(errors(run)).toEqual([`Sentry answered ${status} to POST ${RELEASES_PATH}: ${STATUS_CODES[status]} after 5 attempts`])
    expectReleaseUntouched()
  })

  test('503 beyond the budget on the update (no projects): fails naming the PUT', async () => {
    fx.emulator.addFault({ ...UPDATE, status: 503, times: Infinity })
    const run = await fx.pushTag('v1.2.0', { ...DATE, ...UPDATE_FIRST })
    expect(run.code).toBe(1)
    expect(methods()).toEqual(['GET 200', ...Array(5).fill('PUT 503')])
    expect(errors(run)).toEqual([`Sentry answered 503 to PUT ${PUT_PATH}: Service Unavailable after 5 attempts`])
    expectReleaseUntouched()
  })

  test('a 503 on the fields after the create is retried like any write', async () => {
    fx.emulator.addFault({ ...UPDATE, status: 503, times: 2 })
    const run = await fx.pushTag('v1.2.0', DATE)
    expect(run.code).toBe(0)
    expect(methods()).toEqual(['GET 200', 'POST 208', 'PUT 503', 'PUT 503', 'PUT 200'])
    await expectReleaseApplied()
  })
})

describe("Sentry's rate limit", () => {
  // Sentry limits the release create to a number of requests per window and answers 429 with X-Sentry-Rate-Limit-Reset
  // (the window's end, epoch seconds) and no Retry-After (docs/sentry-api.md section 8): the create is sent again once the
  // window is over, not after the 10-ms backoff (which would meet four more 429s and fail).
  test('a create over the limit waits for the window to reset, then goes through', async () => {
    const windowMs = 3000
    const limited = await startEmulator({
      git: fx.repo.dir,
      fetchDelayMs: 10,
      seed: seedWithReleases('v1.2.0'),
      rateLimit: { releases: { limit: 1, windowSeconds: windowMs / 1000 } }
    })
    try {
      // Start just after a window begins, and use its one create, so the action's create comes well inside it.
      await sleep(windowMs - (Date.now() % windowMs) + 50)
      const windowEnd = Math.ceil(Date.now() / windowMs) * windowMs
      const used = await fetch(`${limited.url}${RELEASES_PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEFAULT_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ version: 'other', projects: ['web'] })
      })
      expect(used.status).toBe(201)
      const run = await pushTagIn(fx.repo, limited.url, 'v1.2.0', DATE)
      expect(run.code).toBe(0)
      expect(requestLines(limited)).toEqual([
        `POST ${RELEASES_PATH} 201`,
        LOOKUP_LINE,
        `POST ${RELEASES_PATH} 429`,
        `POST ${RELEASES_PATH} 208`,
        'PUT /api/0/organizations/acme/releases/v1.2.0/ 200'
      ])
      const [refused, accepted] = limited.requests.filter(request => request.method === 'POST').slice(1)
      expect(refused.time).toBeLessThan(windowEnd)
      expect(accepted.time).toBeGreaterThanOrEqual(windowEnd)
      expect(accepted.time - windowEnd).toBeLessThan(1500)
      // The wait is what is left of the window when the 429 came: under load the action may start late in it.
      expect(retryLines(run)).toEqual([expect.stringMatching(/^Sentry answered 429; retrying in [0-3]\.\d s \(attempt 2 of 5\)\.$/)])
    } finally {
      await limited.settle()
      await limited.stop()
    }
  }, 15_000)
})

describe('429 and Retry-After', () => {
  test('seconds: waits as told', async () => {
    fx.emulator.addFault({ ...CREATE, status: 429, retryAfter: '1' })
    const run = await fx.pushTag('v1.2.0', DATE)
    expect(run.code).toBe(0)
    expect(methods()).toEqual(['GET 200', 'POST 429', 'POST 208', 'PUT 200'])
    const [, first, second] = fx.emulator.requests
    expect(second.time - first.time).toBeGreaterThanOrEqual(1000)
    expect(second.time - first.time).toBeLessThan(1500)
    expect(retryLines(run)).toEqual(['Sentry answered 429; retrying in 1.0 s (attempt 2 of 5).'])
    await expectReleaseApplied()
  })

  test('an HTTP date: waits until then', async () => {
    const retryAfter = new Date(Date.now() + 2000).toUTCString()
    fx.emulator.addFault({ ...UPDATE, status: 429, retryAfter })
    const run = await fx.pushTag('v1.2.0', { ...DATE, ...UPDATE_FIRST })
    expect(run.code).toBe(0)
    expect(methods()).toEqual(['GET 200', 'PUT 429', 'PUT 200'])
    const [, first, second] = fx.emulator.requests
    // The date has whole seconds: the wait ends at it, between 1 and 2 s after now.
    expect(second.time).toBeGreaterThanOrEqual(Date.parse(retryAfter) - 50)
    expect(second.time - first.time).toBeLessThan(2500)
    expect(retryLines(run)).toEqual([expect.stringMatching(/^Sentry answered 429; retrying in [0-2]\.\d s \(attempt 2 of 5\)\.$/)])
  })

  test.each([
    ['seconds', '3600', 3600],
    ['an HTTP date', 'Wed, 21 Oct 2099 07:28:00 GMT', undefined]
  ])('a wait in %s beyond the retry budget is not started: clear failure at once', async (_, retryAfter, seconds) => {
    fx.emulator.addFault({ ...CREATE, status: 429, retryAfter, times: Infinity })
    const started = Date.now()
    const run = await fx.pushTag('v1.2.0', DATE)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(run.code).toBe(1)
    expect(methods()).toEqual(['GET 200', 'POST 429'])
    expect(errors(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Sentry answered 429 to POST ${RELEASES_PATH}: You are attempting to use this endpoint too frequently\\. ` +
            'Limit is \\d+ requests in \\d+ seconds after 1 attempt; ' +
            `Sentry asked to wait ${seconds ?? '\\d+'} s \\(Retry-After\\), beyond the 120 s retry budget$`
        )
      )
    ])
  })
})

describe('network failures', () => {
  test('a dropped connection is retried, the create as the update', async () => {
    fx.emulator.addFault({ ...CREATE, drop: true })
    const run = await fx.pushTag('v1.2.0', DATE)
    expect(run.code).toBe(0)
    expect(methods()).toEqual(['GET 200', 'POST 0', 'POST 208', 'PUT 200'])
    expect(retryLines(run)).toEqual([expect.stringMatching(/^Sentry did not answer \(.+\); retrying in \d\.\d s \(attempt 2 of 5\)\.$/)])
    await expectReleaseApplied()

    fx.emulator.reset(seedWithReleases('v1.2.0'))
    fx.emulator.addFault({ ...UPDATE, drop: true })
    const update = await fx.pushTag('v1.2.0', { ...DATE, ...UPDATE_FIRST })
    expect(update.code).toBe(0)
    expect(methods()).toEqual(['GET 200', 'PUT 0', 'PUT 200'])
    expect(retryLines(update)).toEqual([expect.stringMatching(/^Sentry did not answer \(.+\); retrying in \d\.\d s \(attempt 2 of 5\)\.$/)])
    await expectReleaseApplied()
  })

  test('connections dropped every time: clear failure naming sentry_url and the attempts', async () => {
    fx.emulator.addFault({ ...CREATE, drop: true, times: Infinity })
    const run = await fx.pushTag('v1.2.0', DATE)
    expect(run.code).toBe(1)
    expect(methods()).toEqual(['GET 200', ...Array(5).fill('POST 0')])
    expect(errors(run)).toEqual([
      expect.stringMatching(new RegExp(`^Cannot reach Sentry at ${fx.emulator.url} after 5 attempts \\(check 'sentry_url'\\): .+$`))
    ])
    expectReleaseUntouched()
  })

  test('a server that does not answer times out after request_timeout and is retried', async () => {
    fx.emulator.addFault({ ...CREATE, hang: true })
    const run = await fx.pushTag('v1.2.0', { ...DATE, request_timeout: '1' })
    expect(run.code).toBe(0)
    expect(methods()).toEqual(['GET 200', 'POST 0', 'POST 208', 'PUT 200'])
    expect(retryLines(run)).toEqual([
      expect.stringMatching(/^Sentry did not answer within 1 s \('request_timeout'\); retrying in \d\.\d s \(attempt 2 of 5\)\.$/)
    ])
    await expectReleaseApplied()
  })

  test('a server that never answers: clear failure naming request_timeout, not sentry_url, and the whole run stays bounded', async () => {
    fx.emulator.addFault({ ...CREATE, hang: true, times: Infinity })
    const started = Date.now()
    const run = await fx.pushTag('v1.2.0', { ...DATE, request_timeout: '1' })
    const elapsed = Date.now() - started
    expect(run.code).toBe(1)
    expect(methods()).toEqual(['GET 200', ...Array(5).fill('POST 0')])
    // 5 attempts of 1 s each, plus 10-ms backoffs and node's start.
    expect(elapsed).toBeGreaterThanOrEqual(5000)
    expect(elapsed).toBeLessThan(12_000)
    expect(errors(run)).toEqual([`Sentry at ${fx.emulator.url} did not answer within 1 s ('request_timeout') in 5 attempts`])
  }, 20_000)
})

describe('409 while Sentry processes the release commits', () => {
  test('is retried with backoff, then the create goes through', async () => {
    fx.emulator.addFault({ ...CREATE, status: 409, body: { detail: COMMIT_LOCK }, times: 2 })
    const run = await fx.pushTag('v1.2.0', DATE)
    expect(run.code).toBe(0)
    expect(methods()).toEqual(['GET 200', 'POST 409', 'POST 409', 'POST 208', 'PUT 200'])
    expect(retryLines(run).map(line => line.replace(/in \d+\.\d s/, 'in N s'))).toEqual(
      [2, 3].map(next => `Sentry answered 409 (${COMMIT_LOCK}); retrying in N s (attempt ${next} of 5).`)
    )
    await expectReleaseApplied()
  })

  test("Sentry's own commit lock, met by commits sent from git (set_commits: local), is waited out too", async () => {
    fx.emulator.addFault({ ...CREATE, commitLock: true, times: 2 })
    const run = await fx.pushTag('v1.2.0', { ...DATE, set_commits: 'local' })
    expect(run.code).toBe(0)
    // Local commit data needs no repository lookup.
    expect(methods()).toEqual(['POST 409', 'POST 409', 'POST 208', 'PUT 200'])
    expect(fx.emulator.requests[0].body).toHaveProperty('commits')
    expect(retryLines(run)).toHaveLength(2)
    expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({
      commitCount: 2,
      lastCommit: expect.objectContaining({ id: fx.commits[3] })
    })
  })

  test('any other 409 fails at once', async () => {
    const detail = 'Could not create the release it conflicts with existing data'
    fx.emulator.addFault({ ...CREATE, status: 409, body: { detail } })
    const run = await fx.pushTag('v1.2.0', DATE)
    expect(run.code).toBe(1)
    expect(methods()).toEqual(['GET 200', 'POST 409'])
    expect(errors(run)).toEqual([`Sentry answered 409 to POST ${RELEASES_PATH}: ${detail}`])
  })
})

describe('reruns and concurrent runs end in the state of one run', () => {
  /** Sentry's state of the release and its deploys once the background fetch is done, without creation times. */
  async function settledRelease(): Promise<unknown> {
    await fx.emulator.settle()
    const state = { release: fx.emulator.release('acme', 'v1.2.0'), deploys: fx.emulator.deploys('acme', 'v1.2.0') }
    return JSON.parse(JSON.stringify(state, (key, value: unknown) => (key === 'dateCreated' ? undefined : value)))
  }

  async function stateAfterOneRun(seed: ReturnType<typeof seedWithReleases>): Promise<unknown> {
    fx.emulator.reset(seed)
    expect((await fx.pushTag('v1.2.0', DATE)).code).toBe(0)
    return settledRelease()
  }

  test('two runs for an existing release at once', async () => {
    const seed = seedWithReleases('v1.2.0')
    const once = await stateAfterOneRun(seed)
    fx.emulator.reset(seed)
    const runs = await Promise.all([fx.pushTag('v1.2.0', DATE), fx.pushTag('v1.2.0', DATE)])
    expect(runs.map(run => run.code)).toEqual([0, 0])
    // Each run: the lookup and the create (208). A run whose create comes after the other's PUT of the fields finds
    // them set and sends no PUT; the other one does.
    const answers = methods().sort()
    expect(answers.slice(0, 4)).toEqual(['GET 200', 'GET 200', 'POST 208', 'POST 208'])
    expect([['PUT 200'], ['PUT 200', 'PUT 200']]).toContainEqual(answers.slice(4))
    expect(await settledRelease()).toEqual(once)
  })

  test('two runs without projects for an existing release at once: two updates', async () => {
    const seed = seedWithReleases('v1.2.0')
    fx.emulator.reset(seed)
    expect((await fx.pushTag('v1.2.0', { ...DATE, ...UPDATE_FIRST })).code).toBe(0)
    const once = await settledRelease()
    fx.emulator.reset(seed)
    const runs = await Promise.all([fx.pushTag('v1.2.0', { ...DATE, ...UPDATE_FIRST }), fx.pushTag('v1.2.0', { ...DATE, ...UPDATE_FIRST })])
    expect(runs.map(run => run.code)).toEqual([0, 0])
    expect(methods().sort()).toEqual(['GET 200', 'GET 200', 'PUT 200', 'PUT 200'])
    expect(await settledRelease()).toEqual(once)
  })

  test('two runs that both find the release missing: both create it, Sentry holds one', async () => {
    const seed = seedWithReleases()
    const once = await stateAfterOneRun(seed)
    fx.emulator.reset(seed)
    const runs = await Promise.all([fx.pushTag('v1.2.0', DATE), fx.pushTag('v1.2.0', DATE)])
    expect(runs.map(run => run.code)).toEqual([0, 0])
    // Exactly one create makes the release (201, with the fields); the other finds it with the same fields (208), so
    // neither sends a PUT.
    expect(methods().sort()).toEqual(['GET 200', 'GET 200', 'POST 201', 'POST 208'])
    expect(await settledRelease()).toEqual(once)
  })

  test('a rerun of a run that recorded a deploy records no second deploy', async () => {
    const inputs = { ...DATE, environment: 'production', started_at: '2024-06-01T09:50:00Z' }
    expect((await fx.pushTag('v1.2.0', inputs)).code).toBe(0)
    expect((await fx.pushTag('v1.2.0', inputs)).code).toBe(0)
    expect(fx.emulator.deploys('acme', 'v1.2.0')).toHaveLength(1)
  })

  // Not covered: two runs recording the same deploy at the same instant can both create it (about 1 in 5
  // here): Sentry's deploy create is not idempotent and the check-then-create has a window. See the README.

  test('a rerun after a run that failed half-way completes the release', async () => {
    // The create (208) set the refs; the PUT of the fields never got through.
    fx.emulator.addFault({ ...UPDATE, status: 503, times: Infinity })
    expect((await fx.pushTag('v1.2.0', DATE)).code).toBe(1)
    expect(methods()).toEqual(['GET 200', 'POST 208', ...Array(5).fill('PUT 503')])
    expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({ ref: null, dateReleased: null })
    fx.emulator.clearFaults()
    fx.emulator.requests.length = 0
    expect((await fx.pushTag('v1.2.0', DATE)).code).toBe(0)
    expect(methods()).toEqual(['GET 200', 'POST 208', 'PUT 200'])
    await expectReleaseApplied()
  })
})

// In auto mode the action falls back to sending the commits from git (the commit-data suite covers that);
// manual mode has no git to fall back on, so Sentry's 400 is the end of the run.
describe('a 400 for an unknown repository, after Sentry saved the other fields', () => {
  const manual = () => ({ ...DATE, repo: 'acme/unknown', set_commits: 'manual', commit: fx.commits[3], previous_commit: fx.commits[1] })

  test('the error says what was applied and what was not, and Sentry holds exactly that', async () => {
    const run = await fx.pushTag('v1.2.0', { ...manual(), ...UPDATE_FIRST })
    expect(run.code).toBe(1)
    // Manual mode sends refs without the repository lookup.
    expect(methods()).toEqual(['PUT 400'])
    expect(errors(run)).toEqual([
      `Sentry answered 400 to PUT ${PUT_PATH}: refs: Invalid repository names: acme/unknown (check 'repo'); ` +
        'Sentry saved ref, url, dateReleased, but set no commits'
    ])
    await fx.emulator.settle()
    expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({
      ref: fx.commits[3],
      url: 'https://github.com/acme/web/releases/tag/v1.2.0',
      dateReleased: expect.stringMatching(/^2024-06-01T10:00:00/),
      commitCount: 0,
      lastCommit: null
    })
  })

  test('on create, the release exists afterwards and the error says so', async () => {
    fx.emulator.reset(seedWithReleases())
    const run = await fx.pushTag('v1.2.0', manual())
    expect(run.code).toBe(1)
    expect(methods()).toEqual(['POST 400'])
    expect(errors(run)).toEqual([
      `Sentry answered 400 to POST ${RELEASES_PATH}: refs: Invalid repository names: acme/unknown (check 'repo'); ` +
        'Sentry created the release if it was new (with ref, url, dateReleased), or kept it as it was, but set no commits'
    ])
    expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({ ref: fx.commits[3], commitCount: 0 })
  })

  // The create of a release Sentry has already leaves its ref, url and dateReleased as they were (docs/sentry-api.md section 10).
  test('on the create of an existing release, Sentry keeps the release as it was', async () => {
    const run = await fx.pushTag('v1.2.0', manual())
    expect(run.code).toBe(1)
    expect(methods()).toEqual(['POST 400'])
    const refused = `Sentry answered 400 to POST ${RELEASES_PATH}: refs: Invalid repository names: acme/unknown (check 'repo')`
    expect(errors(run)).toHaveLength(1)
    expect(errors(run)[0].slice(0, refused.length)).toBe(refused)
    expectReleaseUntouched()
  })

  // The create may have met an existing release, which Sentry neither created nor changed: the error says both cases.
  test('on the create of an existing release, the error does not claim Sentry created it or saved its fields', async () => {
    const run = await fx.pushTag('v1.2.0', manual())
    expect(run.code).toBe(1)
    expectReleaseUntouched()
    expect(errors(run)[0]).toMatch(
      /; Sentry created the release if it was new \(with ref, url, dateReleased\), or kept it as it was, but set no commits$/
    )
  })
})
