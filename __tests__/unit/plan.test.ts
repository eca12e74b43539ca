import { describe, expect, test } from '@jest/globals'
import { buildPlan } from '../../src/core/plan.js'
import { githubContext, HEAD, PREVIOUS, settingsWith, tagPushPlanInputs } from '../helpers/fixtures.js'

const NOW = new Date('2024-06-01T10:00:00Z')
const tagInputs = tagPushPlanInputs({
  range: { head: HEAD, previous: PREVIOUS, previousTag: 'v1.1.0', tagPattern: 'v*' },
  now: NOW
})

describe('buildPlan', () => {
  test('a tag push: one PUT with ref, url, refs and dateReleased', () => {
    const plan = buildPlan(tagInputs)
    expect(plan.update).toEqual({
      method: 'PUT',
      path: 'organizations/acme/releases/v1.2.0/',
      body: {
        ref: HEAD,
        url: 'https://github.com/acme/web/releases/tag/v1.2.0',
        refs: [{ repository: 'acme/web', commit: HEAD, previousCommit: PREVIOUS }],
        dateReleased: '2024-06-01T10:00:00.000Z'
      }
    })
    expect(plan).toMatchObject({
      version: 'v1.2.0',
      releasePage: 'https://sentry.example.com/organizations/acme/releases/v1.2.0/',
      githubRepositoryUrl: 'https://github.com/acme/web',
      repository: 'acme/web',
      tag: 'v1.2.0',
      notices: [],
      warnings: []
    })
  })

  test('projects known: the create goes first, with the same fields plus version and projects', () => {
    const plan = buildPlan({ ...tagInputs, settings: settingsWith({ projects: ['web', 'api'] }) })
    expect(plan.order).toBe('create')
    expect(plan.create).toEqual({
      method: 'POST',
      path: 'organizations/acme/releases/',
      body: { version: 'v1.2.0', projects: ['web', 'api'], ...plan.update.body }
    })
    // What a create of an existing release leaves as it was, to be sent in a PUT when Sentry's release differs.
    expect(plan.fields).toEqual({
      ref: HEAD,
      url: 'https://github.com/acme/web/releases/tag/v1.2.0',
      dateReleased: '2024-06-01T10:00:00.000Z'
    })
    expect(plan.addProjects).toBeUndefined()
  })

  // Sentry's 404 is the same for an org the token cannot see: the message names 'org' as the other cause.
  test('no projects: update first, a 404 fails naming projects; create false names create and adds missing projects', () => {
    const missing = `Sentry has no release "v1.2.0" in org 'acme' (or the token cannot see org 'acme': check 'org')`
    const plain = buildPlan(tagInputs)
    expect(plain.order).toBe('update')
    expect(plain.create).toEqual(new Error(`Input 'projects': ${missing}; set 'projects' (or SENTRY_PROJECT) so the action can create it`))
    const noCreate = buildPlan({ ...tagInputs, settings: settingsWith({ create: false, projects: ['web'] }) })
    expect(noCreate.order).toBe('update')
    expect(noCreate.create).toEqual(new Error(`Input 'create': ${missing}; set it to true (with 'projects') to create the release`))
    expect(noCreate.addProjects).toEqual({
      method: 'POST',
      path: 'organizations/acme/releases/',
      body: { version: 'v1.2.0', projects: ['web'] }
    })
  })

  test('a GitHub page longer than Sentry stores (200 characters): the commit page, then the repository, with a notice', () => {
    const longTag = `v1.2.0-${'x'.repeat(160)}`
    const plan = buildPlan({ ...tagInputs, target: { kind: 'tag', tag: longTag, sha: HEAD } })
    expect(plan.update.body.url).toBe(`https://github.com/acme/web/commit/${HEAD}`)
    expect(plan.notices).toEqual([
      `The GitHub page https://github.com/acme/web/releases/tag/${longTag} has more than 200 characters, Sentry's limit for a ` +
        `release's url: the release links to https://github.com/acme/web/commit/${HEAD} instead (set release_url to choose).`
    ])
    const longRepository = `acme/${'w'.repeat(165)}`
    const repositoryPlan = buildPlan({ ...tagInputs, context: { ...githubContext, repository: longRepository } })
    expect(repositoryPlan.update.body.url).toBe(`https://github.com/${longRepository}`)
    const hugeRepository = `acme/${'w'.repeat(200)}`
    const none = buildPlan({ ...tagInputs, context: { ...githubContext, repository: hugeRepository } })
    expect(none.update.body).not.toHaveProperty('url')
    expect(none.notices[0]).toMatch(/has more than 200 characters, Sentry's limit for a release's url: no link is sent/)
  })

  test('first release: no previousCommit, and a notice that Sentry chooses the start', () => {
    const plan = buildPlan({ ...tagInputs, range: { head: HEAD, tagPattern: 'v*' } })
    expect(plan.update.body.refs).toEqual([{ repository: 'acme/web', commit: HEAD }])
    expect(plan.notices).toEqual([
      "No previous commit (no earlier tag matching 'v*' precedes this release): Sentry will choose where the commit range starts."
    ])
  })

  test('a start missing even after fetching (ignore_missing) is a warning', () => {
    const plan = buildPlan({ ...tagInputs, range: { head: HEAD, tagPattern: 'v*', missing: 'no tag (ignore_missing)' } })
    expect(plan.warnings).toEqual(['Cannot find the start of the commit range: no tag (ignore_missing).'])
  })

  // As getsentry/action-release (getVersion): the prefix goes before an explicit release too.
  test('prefix applies to a derived and an explicit version; the version is one encoded segment', () => {
    const prefixed = buildPlan({ ...tagInputs, settings: settingsWith({ releasePrefix: 'web+' }) })
    expect(prefixed.version).toBe('web+v1.2.0')
    expect(prefixed.update.path).toBe('organizations/acme/releases/web%2Bv1.2.0/')
    expect(prefixed.warnings).toEqual([])
    const explicit = buildPlan({ ...tagInputs, settings: settingsWith({ releasePrefix: 'web+', release: '1.2.0' }) })
    expect(explicit.version).toBe('web+1.2.0')
    expect(explicit.update.path).toBe('organizations/acme/releases/web%2B1.2.0/')
  })

  test('a name that already carries the prefix gets it twice, with one warning', () => {
    const doubled = buildPlan({
      ...tagInputs,
      target: { kind: 'tag', tag: 'web@1.1.0', sha: HEAD },
      settings: settingsWith({ releasePrefix: 'web@' })
    })
    expect(doubled.version).toBe('web@web@1.1.0')
    expect(doubled.warnings).toEqual([
      `The release name "web@web@1.1.0" starts with release_prefix "web@" twice: the tag or release already carries it. Leave release_prefix out, or set it to what the name lacks.`
    ])
    const alias = settingsWith({ releasePrefix: 'web@', releasePrefixInput: 'version_prefix', release: 'web@2.0' })
    expect(buildPlan({ ...tagInputs, settings: alias }).warnings).toEqual([
      `The release name "web@web@2.0" starts with version_prefix "web@" twice: the tag or release already carries it. Leave version_prefix out, or set it to what the name lacks.`
    ])
  })

  test('errors about the name name the input the user set: the alias, or the prefix that broke it', () => {
    const explicit = (overrides: Parameters<typeof settingsWith>[0]) => () => buildPlan({ ...tagInputs, settings: settingsWith(overrides) })
    expect(explicit({ release: 'a/b', releaseInput: 'version' })).toThrow(`Input 'version': Sentry forbids '/' in a release name: "a/b"`)
    expect(explicit({ release: '1.0', releasePrefix: 'team/', releasePrefixInput: 'version_prefix' })).toThrow(
      `Input 'version_prefix': Sentry forbids '/' in a release name: "team/1.0"`
    )
    expect(explicit({ release: '1.0', releasePrefix: 'team/' })).toThrow(
      `Input 'release_prefix': Sentry forbids '/' in a release name: "team/1.0"`
    )
    expect(explicit({ release: 'a/b', releasePrefix: 'p-' })).toThrow(`Input 'release': Sentry forbids '/' in a release name: "p-a/b"`)
  })

  test('a commit target: version is the head SHA, url its commit page', () => {
    const plan = buildPlan({ ...tagInputs, target: { kind: 'commit', sha: HEAD }, settings: settingsWith({ releasePrefix: 'api-' }) })
    expect(plan.version).toBe(`api-${HEAD}`)
    expect(plan.update.body.url).toBe(`https://github.com/acme/web/commit/${HEAD}`)
    expect(plan.tag).toBeUndefined()
  })

  test('explicit ref, release_url and date; finalize false sends no dateReleased; skip sends no refs', () => {
    const settings = settingsWith({
      ref: 'main',
      releaseUrl: 'https://example.com/notes',
      finalize: false,
      setCommits: 'skip',
      dateReleased: '2020-01-01T00:00:00.000Z'
    })
    const plan = buildPlan({ ...tagInputs, settings })
    expect(plan.update.body).toEqual({ ref: 'main', url: 'https://example.com/notes' })
    expect(plan.repository).toBeUndefined()
    expect(plan.notices).toEqual([])
    const dated = buildPlan({ ...tagInputs, settings: settingsWith({ dateReleased: '2020-01-01T00:00:00.000Z' }) })
    expect(dated.update.body.dateReleased).toBe('2020-01-01T00:00:00.000Z')
  })

  test('outside a runner there is no GitHub url', () => {
    const plan = buildPlan({ ...tagInputs, context: { ...githubContext, repository: '' } })
    expect(plan.update.body).not.toHaveProperty('url')
    expect(plan.githubRepositoryUrl).toBeUndefined()
  })

  // The user set no input: the tag is named, and 'release' is the way out.
  test.each([
    [
      'release/1.0',
      `Tag "release/1.0" cannot name a Sentry release (Sentry forbids '/' in a release name): set 'release' to a name Sentry accepts`
    ],
    ['latest', `Tag "latest" cannot name a Sentry release (Sentry reserves the release name 'latest'): set 'release'`],
    ['1.0\n', `Tag "1.0\\n" cannot name a Sentry release (Sentry forbids a newline in a release name)`],
    ['v1\u0000', `Tag "v1\\u0000" cannot name a Sentry release (a release name cannot hold control characters)`]
  ])('a tag Sentry would reject as a release name (%j) fails naming the tag and the release input', (tag, message) => {
    expect(() => buildPlan({ ...tagInputs, target: { kind: 'tag', tag, sha: HEAD } })).toThrow(message)
  })

  test('a prefix that breaks a tag name is still blamed on the prefix', () => {
    const settings = settingsWith({ releasePrefix: 'team/' })
    expect(() => buildPlan({ ...tagInputs, settings, target: { kind: 'tag', tag: 'v1', sha: HEAD } })).toThrow(
      `Input 'release_prefix': Sentry forbids '/' in a release name: "team/v1"`
    )
  })

  test('a name broken by the prefix still names the prefix input', () => {
    const prefixed = { ...tagInputs, settings: settingsWith({ releasePrefix: 'team/' }) }
    expect(() => buildPlan(prefixed)).toThrow(`Input 'release_prefix': Sentry forbids '/' in a release name: "team/v1.2.0"`)
  })
})
