import { beforeAll, describe, expect, test } from '@jest/globals'
import { DEFAULT_TOKEN } from '../../emulator/index.js'
import { tagDeletionPayload } from '../helpers/events.js'
import { ISO_DATE, requestsSent, seedWithReleases, useE2eFixture } from '../helpers/e2e-fixture.js'
import { annotations, runAction } from '../helpers/run-action.js'

const fx = useE2eFixture('v1.0.0', 'v1.1.0', 'v1.2.0')
let c: string[]
beforeAll(() => {
  c = fx.commits
})

const sent = () => requestsSent(fx.emulator)

describe('a tag push updates the release with one PUT', () => {
  test('lightweight tag: exact refs, outputs from Sentry, a job summary', async () => {
    const run = await fx.pushTag('v1.2.0')
    expect(run.code).toBe(0)
    const [request] = fx.emulator.requests
    expect(sent()).toEqual([
      {
        method: 'PUT',
        path: '/api/0/organizations/acme/releases/v1.2.0/',
        status: 200,
        body: {
          ref: c[3],
          url: 'https://github.com/acme/web/releases/tag/v1.2.0',
          refs: [{ repository: 'acme/web', commit: c[3], previousCommit: c[1] }],
          dateReleased: expect.stringMatching(ISO_DATE)
        }
      }
    ])
    expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_TOKEN}`)
    expect(request.headers['user-agent']).toMatch(/^sentry-release-action\/\d+\.\d+\.\d+/)

    const json = JSON.parse(run.outputs.json) as Record<string, unknown>
    expect(json).toMatchObject({ version: 'v1.2.0', ref: c[3] })
    expect(run.outputs).toEqual({
      release: 'v1.2.0',
      version: 'v1.2.0',
      commitCount: String(json.commitCount),
      deployCount: '0',
      newGroups: '0',
      dateCreated: json.dateCreated,
      dateReleased: json.dateReleased,
      headCommit: c[3],
      previousCommit: c[1],
      commitRange: `${c[1]}..${c[3]}`,
      commitsSent: '0',
      releaseUrl: `${fx.emulator.url}/organizations/acme/releases/v1.2.0/`,
      json: run.outputs.json
    })
    expect(run.summary).toContain('### Sentry release <code>v1.2.0</code>')
    expect(run.summary).toContain(`<a href="https://github.com/acme/web/compare/${c[1]}...${c[3]}">compare</a>`)
    expect(run.stdout).toContain('Sentry fetches the commits in the background, so commitCount may still rise.')

    await fx.emulator.settle()
    expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({ commitCount: 2, lastCommit: { id: c[3] } })
  })

  test('annotated tag: the payload carries the tag object, the release gets the peeled commit', async () => {
    expect(await fx.repo.git('rev-parse', 'refs/tags/v1.1.0')).not.toBe(c[1])
    const run = await fx.pushTag('v1.1.0')
    expect(run.code).toBe(0)
    expect(sent()).toEqual([
      expect.objectContaining({
        path: '/api/0/organizations/acme/releases/v1.1.0/',
        body: expect.objectContaining({ ref: c[1], refs: [{ repository: 'acme/web', commit: c[1], previousCommit: c[0] }] })
      })
    ])
    expect(run.outputs).toMatchObject({ headCommit: c[1], previousCommit: c[0] })
  })

  test('first release: no previousCommit, and a notice that Sentry chooses the start', async () => {
    const run = await fx.pushTag('v1.0.0')
    expect(run.code).toBe(0)
    expect((fx.emulator.requests[0].body as { refs: unknown }).refs).toEqual([{ repository: 'acme/web', commit: c[0] }])
    expect(annotations(run.stdout)).toEqual([
      ['notice', "No previous commit (no earlier tag matching 'v*' precedes this release): Sentry will choose where the commit range starts."]
    ])
    expect(run.outputs).not.toHaveProperty('previousCommit')
  })

  test('release_prefix and the tag family: web@1.1.0 starts after web@1.0.0', async () => {
    fx.emulator.reset(seedWithReleases('frontend+web@1.1.0'))
    const run = await fx.pushTag('web@1.1.0', { release_prefix: 'frontend+' })
    expect(run.code).toBe(0)
    expect(sent()).toEqual([
      expect.objectContaining({
        path: '/api/0/organizations/acme/releases/frontend%2Bweb%401.1.0/',
        status: 200,
        body: expect.objectContaining({ refs: [{ repository: 'acme/web', commit: c[4], previousCommit: c[1] }] })
      })
    ])
    expect(run.outputs.release).toBe('frontend+web@1.1.0')
  })

  // Users switching from getsentry/action-release pass version: ${{ github.ref }} with version_prefix.
  test('version: refs/tags/X with version_prefix: the prefix before X, as getsentry/action-release names it', async () => {
    fx.emulator.reset(seedWithReleases('myapp@v1.2.0'))
    const run = await fx.pushTag('v1.2.0', { version: 'refs/tags/v1.2.0', version_prefix: 'myapp@' })
    expect(run.code).toBe(0)
    expect(sent().map(request => `${request.method} ${request.path} ${request.status}`)).toEqual(['PUT /api/0/organizations/acme/releases/myapp%40v1.2.0/ 200'])
    expect(run.outputs.release).toBe('myapp@v1.2.0')
  })

  test('release_prefix web@ on tag web@1.1.0: web@web@1.1.0, with one warning', async () => {
    fx.emulator.reset(seedWithReleases('web@web@1.1.0'))
    const run = await fx.pushTag('web@1.1.0', { release_prefix: 'web@' })
    expect(run.code).toBe(0)
    expect(run.outputs.release).toBe('web@web@1.1.0')
    expect(annotations(run.stdout)).toEqual([
      [
        'warning',
        'The release name "web@web@1.1.0" starts with release_prefix "web@" twice: the tag or release already carries it. Leave release_prefix out, or set it to what the name lacks.'
      ]
    ])
  })

  test('tag_pattern chooses which earlier tags count', async () => {
    const run = await fx.pushTag('v1.2.0', { tag_pattern: 'web@*' })
    expect(run.code).toBe(0)
    expect(fx.emulator.requests[0].body).toMatchObject({ refs: [{ repository: 'acme/web', commit: c[3], previousCommit: c[1] }] })
  })

  test('a rerun with the same inputs changes nothing', async () => {
    const inputs = { date_released: '2024-06-01T10:00:00Z' }
    expect((await fx.pushTag('v1.2.0', inputs)).code).toBe(0)
    await fx.emulator.settle()
    const before = fx.emulator.release('acme', 'v1.2.0')
    expect((await fx.pushTag('v1.2.0', inputs)).code).toBe(0)
    await fx.emulator.settle()
    expect(fx.emulator.release('acme', 'v1.2.0')).toEqual(before)
    expect(fx.emulator.requests[0].body).toEqual(fx.emulator.requests[1].body)
  })
})

describe('404 -> create', () => {
  test('with projects: POST the same fields plus version and projects', async () => {
    fx.emulator.reset(seedWithReleases())
    const run = await fx.pushTag('v1.2.0', { projects: 'web api' })
    expect(run.code).toBe(0)
    const put = fx.emulator.requests[0].body as Record<string, unknown>
    expect(sent()).toEqual([
      { method: 'PUT', path: '/api/0/organizations/acme/releases/v1.2.0/', status: 404, body: put },
      { method: 'POST', path: '/api/0/organizations/acme/releases/', status: 201, body: { version: 'v1.2.0', projects: ['web', 'api'], ...put } }
    ])
    expect(run.outputs).toMatchObject({ release: 'v1.2.0', deployCount: '0', headCommit: c[3] })
    expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({ projects: [{ slug: 'web' }, { slug: 'api' }] })
  })

  test('without projects: fails naming the projects input', async () => {
    fx.emulator.reset(seedWithReleases())
    const run = await fx.pushTag('v1.2.0', { projects: '' })
    expect(run.code).toBe(1)
    expect(annotations(run.stdout)).toEqual([
      ['error', `Input 'projects': Sentry has no release "v1.2.0" in org 'acme' (or the token cannot see org 'acme': check 'org'); set 'projects' (or SENTRY_PROJECT) so the action can create it`]
    ])
    expect(sent().map(r => r.method)).toEqual(['PUT'])
  })
})

describe('no request at all', () => {
  test('a tag deletion is a notice and success', async () => {
    const run = await runAction({
      inputs: { auth_token: DEFAULT_TOKEN, sentry_url: fx.emulator.url, org: 'acme' },
      eventName: 'push',
      payload: tagDeletionPayload('v1.2.0'),
      ref: 'refs/tags/v1.2.0',
      sha: '0'.repeat(40),
      workspace: fx.repo.dir
    })
    expect(run.code).toBe(0)
    expect(annotations(run.stdout)).toEqual([['notice', 'Tag v1.2.0 was deleted: there is no release to update.']])
    expect(fx.emulator.requests).toEqual([])
    expect(run.outputs).toEqual({})
  })

  test('a dry run prints the plan and sets outputs from it, without a token', async () => {
    const run = await fx.pushTag('v1.2.0', { auth_token: '', dry_run: 'true', date_released: '1717236000' })
    expect(run.code).toBe(0)
    expect(fx.emulator.requests).toEqual([])
    const body = {
      ref: c[3],
      url: 'https://github.com/acme/web/releases/tag/v1.2.0',
      refs: [{ repository: 'acme/web', commit: c[3], previousCommit: c[1] }],
      dateReleased: '2024-06-01T10:00:00.000Z'
    }
    expect(run.stdout).toContain(
      `Dry run: nothing is sent to Sentry. The plan for release v1.2.0:\nPUT ${fx.emulator.url}/api/0/organizations/acme/releases/v1.2.0/\n${JSON.stringify(body, null, 2)}`
    )
    expect(run.outputs).toEqual({
      release: 'v1.2.0',
      version: 'v1.2.0',
      dateReleased: '2024-06-01T10:00:00.000Z',
      headCommit: c[3],
      previousCommit: c[1],
      commitRange: `${c[1]}..${c[3]}`,
      commitsSent: '0',
      releaseUrl: `${fx.emulator.url}/organizations/acme/releases/v1.2.0/`
    })
    expect(run.summary).toContain('(dry run: nothing sent)')
  })
})
