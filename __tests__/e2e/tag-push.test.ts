import { beforeAll, describe, expect, test } from '@jest/globals'
import { DEFAULT_TOKEN } from '../../emulator/index.js'
import { tagDeletionPayload } from '../../harness/events.js'
import {
  ISO_DATE,
  LOOKUP_LINE,
  RELEASES_PATH,
  repositoryLookup,
  requestLines,
  requestsSent,
  seedWithReleases,
  useE2eFixture
} from '../helpers/e2e-fixture.js'
import { annotations, runAction } from '../../harness/run-action.js'

const fx = useE2eFixture('v1.0.0', 'v1.1.0', 'v1.2.0')
let c: string[]
beforeAll(() => {
  c = fx.commits
})

const sent = () => requestsSent(fx.emulator)
const lines = () => requestLines(fx.emulator)
const releasePath = (version: string) => `${RELEASES_PATH}${encodeURIComponent(version)}/`
/** The body of the n-th request of a method (0: the first). */
const bodyOf = (method: string, n = 0) =>
  fx.emulator.requests.filter(request => request.method === method)[n]?.body as Record<string, unknown>

// The fixture's releases were made without ref, url and dateReleased (as by sentry-cli's `releases new`): Sentry's
// create leaves an existing release's fields as they were (208), so a PUT of those fields follows it.
describe('a tag push: the repository lookup, then the create (with projects) or the update (without)', () => {
  test('lightweight tag: exact refs, outputs from Sentry, a job summary', async () => {
    const run = await fx.pushTag('v1.2.0')
    expect(run.code).toBe(0)
    const fields = { ref: c[3], url: 'https://github.com/acme/web/releases/tag/v1.2.0', dateReleased: expect.stringMatching(ISO_DATE) }
    const refs = [{ repository: 'acme/web', commit: c[3], previousCommit: c[1] }]
    expect(sent()).toEqual([
      repositoryLookup(),
      { method: 'POST', path: RELEASES_PATH, status: 208, body: { version: 'v1.2.0', projects: ['web'], ...fields, refs } },
      { method: 'PUT', path: releasePath('v1.2.0'), status: 200, body: fields }
    ])
    // The PUT sends the very values the create carried.
    const { version, projects, refs: sentRefs, ...created } = bodyOf('POST')
    expect([version, projects, sentRefs]).toEqual(['v1.2.0', ['web'], refs])
    expect(bodyOf('PUT')).toEqual(created)
    for (const request of fx.emulator.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_TOKEN}`)
      expect(request.headers['user-agent']).toMatch(/^sentry-release-action\/\d+\.\d+\.\d+/)
    }
    expect(run.stdout).toContain("Sentry's repository acme/web has an integration: Sentry fetches the commits (refs).")
    expect(run.stdout).toContain(
      'Sentry had release v1.2.0 already, and its create leaves ref, url, dateReleased as they were: updating them.'
    )

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
    expect(run.stdout).toContain(
      `Sentry release v1.2.0: commitCount ${String(json.commitCount)} (git counts 2 commits in ${c[1].slice(0, 12)}..${c[3].slice(0, 12)}), deployCount 0: ${run.outputs.releaseUrl}`
    )
    expect(run.stdout).toContain('Sentry fetches the commits in the background, so commitCount may still rise.')

    await fx.emulator.settle()
    expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({ commitCount: 2, lastCommit: { id: c[3] }, ...fields })
  })

  test('without projects the update goes first: one PUT with every field', async () => {
    const run = await fx.pushTag('v1.2.0', { projects: '' })
    expect(run.code).toBe(0)
    expect(sent()).toEqual([
      repositoryLookup(),
      {
        method: 'PUT',
        path: releasePath('v1.2.0'),
        status: 200,
        body: {
          ref: c[3],
          url: 'https://github.com/acme/web/releases/tag/v1.2.0',
          refs: [{ repository: 'acme/web', commit: c[3], previousCommit: c[1] }],
          dateReleased: expect.stringMatching(ISO_DATE)
        }
      }
    ])
    expect(run.outputs).toMatchObject({ release: 'v1.2.0', headCommit: c[3], previousCommit: c[1] })
  })

  test('annotated tag: the payload carries the tag object, the release gets the peeled commit', async () => {
    expect(await fx.repo.git('rev-parse', 'refs/tags/v1.1.0')).not.toBe(c[1])
    const run = await fx.pushTag('v1.1.0')
    expect(run.code).toBe(0)
    expect(lines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, `PUT ${releasePath('v1.1.0')} 200`])
    expect(bodyOf('POST')).toMatchObject({
      version: 'v1.1.0',
      ref: c[1],
      refs: [{ repository: 'acme/web', commit: c[1], previousCommit: c[0] }]
    })
    expect(bodyOf('PUT')).toMatchObject({ ref: c[1] })
    expect(run.outputs).toMatchObject({ headCommit: c[1], previousCommit: c[0] })
  })

  test('first release: no previousCommit, and a notice that Sentry chooses the start', async () => {
    const run = await fx.pushTag('v1.0.0')
    expect(run.code).toBe(0)
    expect(lines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, `PUT ${releasePath('v1.0.0')} 200`])
    expect(bodyOf('POST').refs).toEqual([{ repository: 'acme/web', commit: c[0] }])
    expect(annotations(run.stdout)).toEqual([
      [
        'notice',
        "No previous commit (no earlier tag matching 'v*' precedes this release): Sentry will choose where the commit range starts."
      ]
    ])
    expect(run.outputs).not.toHaveProperty('previousCommit')
  })

  test('release_prefix and the tag family: web@1.1.0 starts after web@1.0.0', async () => {
    fx.emulator.reset(seedWithReleases('frontend+web@1.1.0'))
    const run = await fx.pushTag('web@1.1.0', { release_prefix: 'frontend+' })
    expect(run.code).toBe(0)
    expect(lines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, `PUT ${releasePath('frontend+web@1.1.0')} 200`])
    expect(releasePath('frontend+web@1.1.0')).toBe('/api/0/organizations/acme/releases/frontend%2Bweb%401.1.0/')
    expect(bodyOf('POST')).toMatchObject({
      version: 'frontend+web@1.1.0',
      refs: [{ repository: 'acme/web', commit: c[4], previousCommit: c[1] }]
    })
    expect(run.outputs.release).toBe('frontend+web@1.1.0')
  })

  // Users switching from getsentry/action-release pass version: ${{ github.ref }} with version_prefix.
  test('version: refs/tags/X with version_prefix: the prefix before X, as getsentry/action-release names it', async () => {
    fx.emulator.reset(seedWithReleases('myapp@v1.2.0'))
    const run = await fx.pushTag('v1.2.0', { version: 'refs/tags/v1.2.0', version_prefix: 'myapp@' })
    expect(run.code).toBe(0)
    expect(lines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, 'PUT /api/0/organizations/acme/releases/myapp%40v1.2.0/ 200'])
    expect(bodyOf('POST')).toMatchObject({ version: 'myapp@v1.2.0', projects: ['web'] })
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
    expect(lines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, `PUT ${releasePath('v1.2.0')} 200`])
    expect(bodyOf('POST')).toMatchObject({ refs: [{ repository: 'acme/web', commit: c[3], previousCommit: c[1] }] })
  })

  test('a rerun with the same inputs changes nothing and sends only the create: the release holds the fields now', async () => {
    const inputs = { date_released: '2024-06-01T10:00:00Z' }
    expect((await fx.pushTag('v1.2.0', inputs)).code).toBe(0)
    expect(lines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`, `PUT ${releasePath('v1.2.0')} 200`])
    const firstCreate = bodyOf('POST')
    await fx.emulator.settle()
    const before = fx.emulator.release('acme', 'v1.2.0')
    fx.emulator.requests.length = 0
    const rerun = await fx.pushTag('v1.2.0', inputs)
    expect(rerun.code).toBe(0)
    expect(lines()).toEqual([LOOKUP_LINE, `POST ${RELEASES_PATH} 208`])
    expect(bodyOf('POST')).toEqual(firstCreate)
    expect(rerun.stdout).not.toContain('updating them')
    await fx.emulator.settle()
    expect(fx.emulator.release('acme', 'v1.2.0')).toEqual(before)
  })

  test('create: false: the update first, then a POST of version and projects for a project the release lacks', async () => {
    const run = await fx.pushTag('v1.2.0', { create: 'false', projects: 'web api' })
    expect(run.code).toBe(0)
    expect(lines()).toEqual([LOOKUP_LINE, `PUT ${releasePath('v1.2.0')} 200`, `POST ${RELEASES_PATH} 201`])
    expect(bodyOf('PUT')).toMatchObject({ ref: c[3], refs: [{ repository: 'acme/web', commit: c[3], previousCommit: c[1] }] })
    expect(bodyOf('POST')).toEqual({ version: 'v1.2.0', projects: ['web', 'api'] })
    expect(run.stdout).toContain("Release v1.2.0 is not in project(s) api yet: adding them (only Sentry's create adds projects).")
    expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({ ref: c[3], projects: [{ slug: 'web' }, { slug: 'api' }] })

    // Once the release is in every project, the update alone.
    fx.emulator.requests.length = 0
    expect((await fx.pushTag('v1.2.0', { create: 'false', projects: 'web api' })).code).toBe(0)
    expect(lines()).toEqual([LOOKUP_LINE, `PUT ${releasePath('v1.2.0')} 200`])
  })
})

describe('a release Sentry does not have yet', () => {
  test('with projects: one POST creates it with every field, nothing follows', async () => {
    fx.emulator.reset(seedWithReleases())
    const run = await fx.pushTag('v1.2.0', { projects: 'web api' })
    expect(run.code).toBe(0)
    const fields = { ref: c[3], url: 'https://github.com/acme/web/releases/tag/v1.2.0', dateReleased: expect.stringMatching(ISO_DATE) }
    expect(sent()).toEqual([
      repositoryLookup(),
      {
        method: 'POST',
        path: RELEASES_PATH,
        status: 201,
        body: {
          version: 'v1.2.0',
          projects: ['web', 'api'],
          ...fields,
          refs: [{ repository: 'acme/web', commit: c[3], previousCommit: c[1] }]
        }
      }
    ])
    expect(run.outputs).toMatchObject({ release: 'v1.2.0', deployCount: '0', headCommit: c[3] })
    expect(fx.emulator.release('acme', 'v1.2.0')).toMatchObject({ ...fields, projects: [{ slug: 'web' }, { slug: 'api' }] })
  })

  test('without projects: the PUT answers 404 and the run fails naming the projects input', async () => {
    fx.emulator.reset(seedWithReleases())
    const run = await fx.pushTag('v1.2.0', { projects: '' })
    expect(run.code).toBe(1)
    expect(annotations(run.stdout)).toEqual([
      [
        'error',
        `Input 'projects': Sentry has no release "v1.2.0" in org 'acme' (or the token cannot see org 'acme': check 'org'); set 'projects' (or SENTRY_PROJECT) so the action can create it`
      ]
    ])
    expect(lines()).toEqual([LOOKUP_LINE, `PUT ${releasePath('v1.2.0')} 404`])
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
    const api = `${fx.emulator.url}/api/0/organizations/acme`
    const fields = { ref: c[3], url: 'https://github.com/acme/web/releases/tag/v1.2.0', dateReleased: '2024-06-01T10:00:00.000Z' }
    const refs = [{ repository: 'acme/web', commit: c[3], previousCommit: c[1] }]
    const create = { version: 'v1.2.0', projects: ['web'], ...fields, refs }
    expect(run.stdout).toContain(
      [
        'Dry run: nothing is sent to Sentry. The plan for release v1.2.0:',
        'First, which kind of repository acme/web is in Sentry (refs need one with an integration):',
        `GET ${api}/repos/?query=acme%2Fweb&per_page=100`,
        `POST ${api}/releases/`,
        JSON.stringify(create, null, 2),
        'If Sentry had the release already (its create leaves ref, url and dateReleased as they were), the fields that differ:',
        `PUT ${api}/releases/v1.2.0/`,
        JSON.stringify(fields, null, 2),
        "If Sentry's repository acme/web has no integration (or none exists): the same request with commits read from git instead of refs.",
        ''
      ].join('\n')
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
    expect(run.summary).toContain(`POST ${api}/releases/`)
  })

  test('a dry run without projects prints the update first, and why a missing release would fail', async () => {
    const run = await fx.pushTag('v1.2.0', { auth_token: '', dry_run: 'true', date_released: '1717236000', projects: '' })
    expect(run.code).toBe(0)
    expect(fx.emulator.requests).toEqual([])
    const api = `${fx.emulator.url}/api/0/organizations/acme`
    const update = {
      ref: c[3],
      url: 'https://github.com/acme/web/releases/tag/v1.2.0',
      dateReleased: '2024-06-01T10:00:00.000Z',
      refs: [{ repository: 'acme/web', commit: c[3], previousCommit: c[1] }]
    }
    expect(run.stdout).toContain(
      [
        'Dry run: nothing is sent to Sentry. The plan for release v1.2.0:',
        'First, which kind of repository acme/web is in Sentry (refs need one with an integration):',
        `GET ${api}/repos/?query=acme%2Fweb&per_page=100`,
        `PUT ${api}/releases/v1.2.0/`,
        JSON.stringify(update, null, 2),
        `If Sentry has no such release: fail: Input 'projects': Sentry has no release "v1.2.0" in org 'acme' (or the token cannot see ` +
          "org 'acme': check 'org'); set 'projects' (or SENTRY_PROJECT) so the action can create it",
        "If Sentry's repository acme/web has no integration (or none exists): the same request with commits read from git instead of refs.",
        ''
      ].join('\n')
    )
    expect(run.summary).toContain(`PUT ${api}/releases/v1.2.0/`)
  })
})
