import { beforeEach, describe, expect, jest, test } from '@jest/globals'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { readSettings } = await import('../../src/io/inputs.js')

const TOKEN = 'sntryu_secret'
const orgToken = (claims: object): string => `sntrys_${Buffer.from(JSON.stringify(claims)).toString('base64')}_secret_part`

function settingsFrom(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  return readSettings({ GITHUB_WORKSPACE: '/workspace', GITHUB_REPOSITORY: 'acme/web', ...env }, name => inputs[name] ?? '')
}

beforeEach(() => {
  jest.clearAllMocks()
})

describe('readSettings', () => {
  test('defaults', () => {
    expect(settingsFrom({ auth_token: TOKEN, org: 'acme' })).toEqual({
      authToken: TOKEN,
      org: 'acme',
      sentryUrl: 'https://sentry.io',
      release: undefined,
      releasePrefix: '',
      releaseInput: 'release',
      releasePrefixInput: 'release_prefix',
      projects: [],
      create: true,
      setCommits: 'auto',
      repository: 'acme/web',
      commit: undefined,
      previousCommit: undefined,
      tagPattern: undefined,
      paths: [],
      initialDepth: 20,
      maxCommits: 1000,
      ignoreMissing: false,
      ignoreEmpty: false,
      waitForCommitsMs: 0,
      ref: undefined,
      releaseUrl: undefined,
      finalize: true,
      dateReleased: undefined,
      workingDirectory: '/workspace',
      dryRun: false,
      requestTimeoutMs: 30_000
    })
  })

  test('every input is read', () => {
    const settings = settingsFrom({
      auth_token: TOKEN,
      org: 'acme',
      sentry_url: 'https://sentry.example.com/sub/',
      release: 'web@1.0.0',
      release_prefix: 'web@',
      projects: 'web, api\nworker',
      create: 'false',
      set_commits: 'Manual',
      repo: 'acme/monorepo',
      commit: 'abc1234',
      previous_commit: 'def5678',
      tag_pattern: 'web@*',
      paths: 'apps/web/**\n!apps/web/docs/**',
      initial_depth: '5',
      max_commits: '300',
      ignore_missing: 'true',
      ignore_empty: 'True',
      wait_for_commits: '1.5',
      ref: 'main',
      release_url: 'https://example.com/notes',
      finalize: 'False',
      date_released: '1700000000',
      working_directory: 'packages/web',
      dry_run: 'TRUE',
      request_timeout: '2.5'
    })
    expect(settings).toEqual({
      authToken: TOKEN,
      org: 'acme',
      sentryUrl: 'https://sentry.example.com/sub',
      release: 'web@1.0.0',
      releasePrefix: 'web@',
      releaseInput: 'release',
      releasePrefixInput: 'release_prefix',
      projects: ['web', 'api', 'worker'],
      create: false,
      setCommits: 'manual',
      repository: 'acme/monorepo',
      commit: 'abc1234',
      previousCommit: 'def5678',
      tagPattern: 'web@*',
      paths: ['apps/web/**', '!apps/web/docs/**'],
      initialDepth: 5,
      maxCommits: 300,
      ignoreMissing: true,
      ignoreEmpty: true,
      waitForCommitsMs: 1500,
      ref: 'main',
      releaseUrl: 'https://example.com/notes',
      finalize: false,
      dateReleased: '2023-11-14T22:13:20.000Z',
      workingDirectory: '/workspace/packages/web',
      dryRun: true,
      requestTimeoutMs: 2500
    })
  })

  test('the token is masked before anything else can fail', () => {
    expect(() => settingsFrom({ org: 'acme', dry_run: 'maybe' }, { SENTRY_AUTH_TOKEN: TOKEN })).toThrow(
      "Input 'dry_run': 'maybe' must be true or false"
    )
    expect(core.setSecret).toHaveBeenCalledWith(TOKEN)
  })

  test('environment fallbacks: SENTRY_AUTH_TOKEN, SENTRY_ORG, SENTRY_URL, SENTRY_PROJECT', () => {
    const settings = settingsFrom(
      {},
      { SENTRY_AUTH_TOKEN: TOKEN, SENTRY_ORG: 'env-org', SENTRY_URL: 'http://127.0.0.1:9000', SENTRY_PROJECT: 'web' }
    )
    expect(settings).toMatchObject({ authToken: TOKEN, org: 'env-org', sentryUrl: 'http://127.0.0.1:9000', projects: ['web'] })
  })

  test('an org token supplies org and url; inputs and env win over it', () => {
    const token = orgToken({ iat: 1, org: 'token-org', url: 'https://token.example.com', region_url: 'https://us.example.com' })
    expect(settingsFrom({ auth_token: token })).toMatchObject({ org: 'token-org', sentryUrl: 'https://token.example.com' })
    expect(settingsFrom({ auth_token: token }, { SENTRY_ORG: 'env-org' })).toMatchObject({ org: 'env-org' })
    expect(settingsFrom({ auth_token: token, sentry_url: 'https://input.example.com' })).toMatchObject({
      sentryUrl: 'https://input.example.com'
    })
    expect(core.setSecret).toHaveBeenCalledWith(token)
  })

  test('deprecated aliases work, with a warning; the new name wins', () => {
    expect(settingsFrom({ auth_token: TOKEN, org: 'acme', version: '1.0', version_prefix: 'p-' })).toMatchObject({
      release: '1.0',
      releasePrefix: 'p-'
    })
    expect(core.warning.mock.calls).toEqual([
      ["Input 'version' is deprecated: use 'release'.", { title: 'Deprecated input' }],
      ["Input 'version_prefix' is deprecated: use 'release_prefix'.", { title: 'Deprecated input' }]
    ])
    expect(settingsFrom({ auth_token: TOKEN, org: 'acme', release: '2.0', version: '1.0' })).toMatchObject({ release: '2.0' })
  })

  // Errors name the input the user set.
  test('the input each name came from: the alias only when it gave the value', () => {
    expect(settingsFrom({ auth_token: TOKEN, org: 'acme', version: '1.0', version_prefix: 'p-' })).toMatchObject({
      releaseInput: 'version',
      releasePrefixInput: 'version_prefix'
    })
    expect(
      settingsFrom({ auth_token: TOKEN, org: 'acme', release: '2.0', version: '1.0', release_prefix: 'q-', version_prefix: 'p-' })
    ).toMatchObject({
      releaseInput: 'release',
      releasePrefixInput: 'release_prefix'
    })
  })

  // As getsentry/action-release: users pass ${{ github.ref }}.
  test.each([
    [{ release: 'refs/tags/v1.2.0' }, 'v1.2.0'],
    [{ version: 'refs/tags/web@1.0' }, 'web@1.0'],
    [{ release: 'v1/refs/tags/x' }, 'v1/refs/tags/x']
  ])('release %j -> %j: a leading refs/tags/ is stripped', (inputs, release) => {
    expect(settingsFrom({ auth_token: TOKEN, org: 'acme', ...inputs }).release).toBe(release)
  })

  test('a dry run needs no token', () => {
    expect(settingsFrom({ org: 'acme', dry_run: 'true' })).toMatchObject({ authToken: undefined, dryRun: true })
    expect(core.setSecret).not.toHaveBeenCalled()
  })

  test('date_released accepts ISO 8601 and normalizes it to UTC', () => {
    expect(settingsFrom({ auth_token: TOKEN, org: 'acme', date_released: '2024-05-01T12:00:00+02:00' })).toMatchObject({
      dateReleased: '2024-05-01T10:00:00.000Z'
    })
  })

  // Date.parse would read these in the runner's zone; network.test.ts runs the action with TZ set to prove it end to end.
  test.each([
    ['2024-05-01T12:00', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01T12:00:00', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01 12:00:00.250', Date.UTC(2024, 4, 1, 12, 0, 0, 250)],
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['2024-05-01T12:00:00-04:00', Date.UTC(2024, 4, 1, 16)],
    ['2024-05-01T12:00:00+0200', Date.UTC(2024, 4, 1, 10)]
  ])('date_released and started_at %j: a time without a zone is UTC, as Sentry takes it', (value, utc) => {
    const iso = new Date(utc).toISOString()
    expect(settingsFrom({ auth_token: TOKEN, org: 'acme', date_released: value, started_at: value })).toMatchObject({
      dateReleased: iso,
      startedAt: iso
    })
  })

  test.each([
    ['smart quotes around it', `\u201c${TOKEN}\u201d`],
    ['a non-breaking space', `sntryu\u00a0secret`],
    ['an accented letter', `${TOKEN}\u00e9`],
    ['a second word', `${TOKEN} extra`],
    ['a newline inside', `${TOKEN}\nmore`]
  ])('a token with %s is refused before any request, naming auth_token and never quoting the token', (_, token) => {
    const refusal =
      "Input 'auth_token': contains spaces, control characters or non-ASCII characters (such as smart quotes): " +
      'paste the token alone, as plain text on one line'
    expect(() => settingsFrom({ auth_token: token, org: 'acme' })).toThrow(new Error(refusal))
    expect(core.setSecret).toHaveBeenCalledWith(token)
  })

  test('set_commits skip needs no repository', () => {
    expect(settingsFrom({ auth_token: TOKEN, org: 'acme', set_commits: 'skip' }, { GITHUB_REPOSITORY: '' })).toMatchObject({
      repository: ''
    })
  })

  test.each([
    [{}, {}, "Input 'auth_token': is required (or set the SENTRY_AUTH_TOKEN environment variable)"],
    [{ auth_token: TOKEN }, {}, "Input 'org': is required (or set SENTRY_ORG, or use an org auth token)"],
    [{ auth_token: TOKEN, org: 'acme', create: 'yes' }, {}, "Input 'create': 'yes' must be true or false"],
    [
      { auth_token: TOKEN, org: 'acme', set_commits: 'remote' },
      {},
      "Input 'set_commits': 'remote' must be one of auto, local, manual, skip"
    ],
    [{ auth_token: TOKEN, org: 'acme', max_commits: '0' }, {}, "Input 'max_commits': '0' must be a whole number from 1 to 100000"],
    [{ auth_token: TOKEN, org: 'acme', initial_depth: '2.5' }, {}, "Input 'initial_depth': '2.5' must be a whole number from 1 to 100000"],
    [
      { auth_token: TOKEN, org: 'acme', wait_for_commits: '-1' },
      {},
      "Input 'wait_for_commits': '-1' must be a number of seconds from 0 to 3600"
    ],
    [{ auth_token: TOKEN, org: 'acme' }, { GITHUB_REPOSITORY: '' }, "Input 'repo': is required when GITHUB_REPOSITORY is not set"],
    [{ auth_token: TOKEN, org: 'acme', sentry_url: 'sentry.io' }, {}, "Input 'sentry_url': 'sentry.io' is not a URL"],
    [
      { auth_token: TOKEN, org: 'acme', release_url: 'javascript:alert(1)' },
      {},
      "Input 'release_url': 'javascript:' must start with https:// or http://"
    ],
    [
      { auth_token: TOKEN, org: 'acme', release_url: `https://example.com/${'x'.repeat(181)}` },
      {},
      "Input 'release_url': has 201 characters; Sentry stores URLs of at most 200 (shorten it, or leave it unset)"
    ],
    [
      { auth_token: TOKEN, org: 'acme', deploy_url: `https://example.com/${'é'.repeat(181)}` },
      {},
      "Input 'deploy_url': has 201 characters; Sentry stores URLs of at most 200 (shorten it, or leave it unset)"
    ],
    [
      { auth_token: TOKEN, org: 'acme', date_released: 'yesterday' },
      {},
      "Input 'date_released': 'yesterday' must be an ISO 8601 date or unix seconds"
    ],
    [
      { auth_token: TOKEN, org: 'acme', date_released: '2024-13-45' },
      {},
      "Input 'date_released': '2024-13-45' must be an ISO 8601 date or unix seconds"
    ],
    [
      { auth_token: TOKEN, org: 'acme', request_timeout: '0' },
      {},
      "Input 'request_timeout': '0' must be a number of seconds above 0 and at most 600"
    ],
    [
      { auth_token: TOKEN, org: 'acme', request_timeout: 'soon' },
      {},
      "Input 'request_timeout': 'soon' must be a number of seconds above 0 and at most 600"
    ],
    // Bounds: a value node's timers or the runner could not take (1e12 seconds would allocate until V8 aborts).
    [
      { auth_token: TOKEN, org: 'acme', wait_for_commits: '1e12' },
      {},
      "Input 'wait_for_commits': '1e12' must be a number of seconds from 0 to 3600"
    ],
    [
      { auth_token: TOKEN, org: 'acme', request_timeout: '2147484' },
      {},
      "Input 'request_timeout': '2147484' must be a number of seconds above 0 and at most 600"
    ],
    [
      { auth_token: TOKEN, org: 'acme', max_commits: '1000000' },
      {},
      "Input 'max_commits': '1000000' must be a whole number from 1 to 100000"
    ],
    // A day the calendar lacks is refused, not moved to the next month.
    [
      { auth_token: TOKEN, org: 'acme', date_released: '2024-02-30' },
      {},
      "Input 'date_released': '2024-02-30' must be an ISO 8601 date or unix seconds"
    ],
    [
      { auth_token: TOKEN, org: 'acme', started_at: '99999999999999' },
      {},
      "Input 'started_at': '99999999999999' must be an ISO 8601 date or unix seconds"
    ],
    // Names: no path traversal, no second line (a workflow command), no NUL.
    [
      { auth_token: TOKEN, org: '..' },
      {},
      "Input 'org': must be the org's slug as in Sentry's URLs (letters, digits, '-' and '_'), e.g. acme-inc"
    ],
    [{ auth_token: TOKEN, org: 'acme/../other' }, {}, "Input 'org': must be the org's slug"],
    [{ auth_token: TOKEN, org: 'acme', repo: 'acme/web\n::warning::owned' }, {}, "Input 'repo': contains a control character"],
    [{ auth_token: TOKEN, org: 'acme', environment: 'prod\u0000' }, {}, "Input 'environment': contains a control character"],
    [{ auth_token: TOKEN, org: 'acme', ref: 'v1\rv2' }, {}, "Input 'ref': contains a control character"],
    [{ auth_token: TOKEN, org: 'acme', projects: 'web api\u0007' }, {}, "Input 'projects': contains a control character"],
    [{ auth_token: TOKEN, org: 'acme', deploy_name: 'blue\u001b[31m' }, {}, "Input 'deploy_name': contains a control character"],
    // A token pasted into another input is never quoted.
    [
      { auth_token: TOKEN, org: 'acme', sentry_url: `sntrys_${'eyJpYXQiOjE3MDAwMDAwMDB9'.repeat(3)}_secretpart` },
      {},
      "Input 'sentry_url': '(a value that looks like a token, not shown)' is not a URL"
    ],
    [
      { auth_token: TOKEN, org: 'acme', dry_run: 'a'.repeat(64) },
      {},
      "Input 'dry_run': '(a value that looks like a token, not shown)' must be true or false"
    ]
  ])('rejects %j %j', (inputs, env, message) => {
    expect(() => settingsFrom(inputs, env)).toThrow(message)
    expect(() => settingsFrom(inputs, env)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(TOKEN) }))
  })
})
