import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { DEFAULT_TOKEN } from '../../emulator/index.js'
import { pushTagIn, useE2eFixture } from '../helpers/e2e-fixture.js'
import { examplePayload } from '../../harness/events.js'
import { type ActionRun, annotations, runAction } from '../../harness/run-action.js'

// Every bad input ends the run with exit code 1 and exactly one ::error:: line that names the input (or the
// runner's file) and the rule: no stack trace, no bundle path, and no request when the problem is known early.

const fx = useE2eFixture('v1.2.0')
let notGit: string
beforeAll(async () => {
  notGit = await mkdtemp(path.join(tmpdir(), 'sra-not-git-'))
  await writeFile(path.join(notGit, 'broken.json'), '{"ref": "refs/tags/v1.2.0",')
})
afterAll(() => rm(notGit, { recursive: true, force: true }))

interface BadInput {
  /** The input (or environment variable) the error must name in quotes; GITHUB_EVENT_PATH as `GITHUB_EVENT_PATH=`. */
  names: string
  /** The rule, as the error line says it. */
  rule: RegExp
  inputs?: Record<string, string>
  env?: Record<string, string>
  /** Runs another event than the push of tag v1.2.0. */
  run?: () => Promise<ActionRun>
  /** Only Sentry can tell (an unknown org, an unreachable URL): requests are expected. */
  needsServer?: boolean
}

const ORG_PAYLOAD = Buffer.from('{"iat": 1, "url": "https://sentry.io", "org": "acme"}').toString('base64')

const cases: Array<[string, BadInput]> = [
  // auth_token and org
  ['no token at all', { names: 'auth_token', rule: /is required/, inputs: { auth_token: '' } }],
  [
    'a token pasted with a second word',
    { names: 'auth_token', rule: /spaces, control characters or non-ASCII/, inputs: { auth_token: `${DEFAULT_TOKEN} extra` } }
  ],
  [
    'a token in smart quotes',
    { names: 'auth_token', rule: /non-ASCII characters \(such as smart quotes\)/, inputs: { auth_token: `\u201c${DEFAULT_TOKEN}\u201d` } }
  ],
  [
    'an org token without its secret',
    { names: 'auth_token', rule: /not a whole org auth token/, inputs: { auth_token: `sntrys_${ORG_PAYLOAD}` } }
  ],
  [
    'an org token with a broken payload',
    { names: 'auth_token', rule: /not a whole org auth token/, inputs: { auth_token: 'sntrys_bm90IGpzb24=_0123456789abcdef' } }
  ],
  ['no org', { names: 'org', rule: /is required/, inputs: { org: '' } }],
  // In auto mode the repository lookup is the first request: its 404 ends the run.
  [
    'an org Sentry does not know',
    {
      names: 'org',
      rule: /^Sentry answered 404 to GET \/api\/0\/organizations\/nope\/repos\/\?query=acme%2Fweb&per_page=100: .*check 'org'\)$/,
      inputs: { org: 'nope' },
      needsServer: true
    }
  ],
  // Without refs there is no lookup: the create (projects web) is the first request.
  [
    'an org Sentry does not know, no commits',
    {
      names: 'org',
      rule: /^Sentry answered 404 to POST \/api\/0\/organizations\/nope\/releases\/: .*\(Sentry has no org 'nope', or the token cannot see/,
      inputs: { org: 'nope', set_commits: 'skip' },
      needsServer: true
    }
  ],
  // Sentry's 404 for an unknown org is the one for an unknown release: the error names both.
  [
    'an org Sentry does not know, create off',
    {
      names: 'org',
      rule: /^Input 'create': Sentry has no release "v1\.2\.0" in org 'nope' \(or the token cannot see org 'nope'/,
      inputs: { org: 'nope', create: 'false', set_commits: 'skip' },
      needsServer: true
    }
  ],
  // sentry_url
  [
    'sentry_url not http(s)',
    {
      names: 'sentry_url',
      rule: /'ftp:\/\/sentry\.example\.com' must start with https:\/\/ or http:\/\//,
      inputs: { sentry_url: 'ftp://sentry.example.com' }
    }
  ],
  ['sentry_url not a URL', { names: 'sentry_url', rule: /'sentry example' is not a URL/, inputs: { sentry_url: 'sentry example' } }],
  [
    'sentry_url with credentials',
    { names: 'sentry_url', rule: /must not contain credentials/, inputs: { sentry_url: 'https://ci:hunter22@sentry.example.com' } }
  ],
  [
    'sentry_url with a query',
    { names: 'sentry_url', rule: /must not have a query/, inputs: { sentry_url: 'https://sentry.example.com/?org=acme' } }
  ],
  // A token pasted into sentry_url: the error quotes scheme and host only (the leak scan checks every run).
  [
    'sentry_url with the token in its query',
    {
      names: 'sentry_url',
      rule: /'https:\/\/sentry\.example\.com' must not have a query/,
      inputs: { sentry_url: `https://sentry.example.com/?token=${DEFAULT_TOKEN}` }
    }
  ],
  [
    'sentry_url with the token as its fragment',
    {
      names: 'sentry_url',
      rule: /'https:\/\/sentry\.example\.com' must not have a query/,
      inputs: { sentry_url: `https://sentry.example.com/#${DEFAULT_TOKEN}` }
    }
  ],
  [
    'sentry_url with a bad port and the token as path',
    {
      names: 'sentry_url',
      rule: /'https:\/\/sentry\.example\.com:abc' is not a URL/,
      inputs: { sentry_url: `https://sentry.example.com:abc/${DEFAULT_TOKEN}` }
    }
  ],
  [
    'sentry_url with the token in broken user info',
    { names: 'sentry_url', rule: /'https:\/\/x y' is not a URL/, inputs: { sentry_url: `https://user:pa@ss${DEFAULT_TOKEN}@x y` } }
  ],
  [
    'sentry_url plain http to another host',
    { names: 'sentry_url', rule: /unencrypted.*allow_insecure_http/, inputs: { sentry_url: 'http://sentry.example.com' } }
  ],
  [
    'https_proxy not a URL (with credentials in it)',
    {
      names: 'https_proxy',
      rule: /^Environment variable 'https_proxy' is not a proxy URL/,
      inputs: { sentry_url: 'https://sentry.example.com' },
      env: { https_proxy: 'http://ci:hunter22@[bad' }
    }
  ],
  [
    'sentry_url unreachable',
    {
      names: 'sentry_url',
      rule: /^Cannot reach Sentry at http:\/\/127\.0\.0\.1:9 after 5 attempts .*ECONNREFUSED/,
      inputs: { sentry_url: 'http://127.0.0.1:9' },
      needsServer: true
    }
  ],
  // release names Sentry forbids (docs/sentry-api.md section 2)
  ["a '/' in release", { names: 'release', rule: /Sentry forbids '\/' in a release name: "web\/1\.0"/, inputs: { release: 'web/1.0' } }],
  ["a '\\' in release", { names: 'release', rule: /Sentry forbids '\\' in a release name/, inputs: { release: 'web\\1.0' } }],
  ['a tab in release', { names: 'release', rule: /Sentry forbids a tab in a release name/, inputs: { release: 'web\t1.0' } }],
  ['a newline in release', { names: 'release', rule: /Sentry forbids a newline in a release name/, inputs: { release: 'web\n1.0' } }],
  ["release 'latest'", { names: 'release', rule: /Sentry reserves the release name 'latest'/, inputs: { release: 'latest' } }],
  ["release 'LATEST'", { names: 'release', rule: /Sentry reserves the release name 'LATEST'/, inputs: { release: 'LATEST' } }],
  ["release '..'", { names: 'release', rule: /Sentry reserves the release name '\.\.'/, inputs: { release: '..' } }],
  ["release '.'", { names: 'release', rule: /Sentry reserves the release name '\.'/, inputs: { release: '.' } }],
  [
    'an empty release name (a release whose tag is blank)',
    {
      names: 'release',
      rule: /the release name is empty/,
      run: () => runEvent('release', { action: 'published', release: { tag_name: '  ' } })
    }
  ],
  [
    'a 201-character release',
    { names: 'release', rule: /has 201 characters; Sentry allows at most 200/, inputs: { release: 'r'.repeat(201) } }
  ],
  // URLs Sentry cannot store (URLFields of 200 characters, docs/sentry-api.md section 10): 20 + 181 characters.
  [
    'a 201-character release_url',
    {
      names: 'release_url',
      rule: /has 201 characters; Sentry stores URLs of at most 200/,
      inputs: { release_url: `https://example.com/${'u'.repeat(181)}` }
    }
  ],
  [
    'a 201-character deploy_url',
    {
      names: 'deploy_url',
      rule: /has 201 characters; Sentry stores URLs of at most 200/,
      inputs: { environment: 'production', deploy_url: `https://example.com/${'u'.repeat(181)}` }
    }
  ],
  ['the deprecated version alias, same rules, named as set', { names: 'version', rule: /Sentry forbids '\/'/, inputs: { version: 'a/b' } }],
  [
    'version_prefix with a slash, named as set',
    { names: 'version_prefix', rule: /Sentry forbids '\/' in a release name: "team\/v1\.2\.0"/, inputs: { version_prefix: 'team/' } }
  ],
  [
    'release_prefix breaking an explicit release',
    {
      names: 'release_prefix',
      rule: /Sentry forbids '\/' in a release name: "team\/1\.0"/,
      inputs: { release: '1.0', release_prefix: 'team/' }
    }
  ],
  [
    'release_prefix with a slash',
    { names: 'release_prefix', rule: /Sentry forbids '\/' in a release name: "team\/v1\.2\.0"/, inputs: { release_prefix: 'team/' } }
  ],
  [
    'release_prefix making the name too long',
    { names: 'release_prefix', rule: /has 201 characters/, inputs: { release_prefix: 'p'.repeat(195) } }
  ],
  // commits: never a git option, SHAs where no git runs
  [
    'commit looking like a git option',
    { names: 'commit', rule: /'--output=\/tmp\/sra-pwned' looks like a git option/, inputs: { commit: '--output=/tmp/sra-pwned' } }
  ],
  [
    'previous_commit looking like a git option',
    { names: 'previous_commit', rule: /'-c core\.pager=sh' looks like a git option/, inputs: { previous_commit: '-c core.pager=sh' } }
  ],
  [
    'commit not a SHA in manual mode',
    { names: 'commit', rule: /'main' must be a commit SHA/, inputs: { set_commits: 'manual', commit: 'main' } }
  ],
  [
    'previous_commit not a SHA in manual mode',
    {
      names: 'previous_commit',
      rule: /'HEAD~1' must be a commit SHA/,
      inputs: { set_commits: 'manual', commit: 'abc1234', previous_commit: 'HEAD~1' }
    }
  ],
  [
    'commit not in the checkout',
    { names: 'commit', rule: /'no-such-branch' is not a commit in the checkout/, inputs: { commit: 'no-such-branch' } }
  ],
  // dates
  [
    'date_released a word',
    { names: 'date_released', rule: /'yesterday' must be an ISO 8601 date or unix seconds/, inputs: { date_released: 'yesterday' } }
  ],
  [
    'date_released an impossible date',
    { names: 'date_released', rule: /'2024-13-45T00:00:00Z' must be an ISO 8601 date/, inputs: { date_released: '2024-13-45T00:00:00Z' } }
  ],
  [
    'date_released out of range',
    { names: 'date_released', rule: /must be an ISO 8601 date or unix seconds/, inputs: { date_released: '99999999999999999' } }
  ],
  [
    'started_at not a date',
    {
      names: 'started_at',
      rule: /'after lunch' must be an ISO 8601 date/,
      inputs: { environment: 'production', started_at: 'after lunch' }
    }
  ],
  // environments Sentry forbids (docs/sentry-api.md section 7)
  [
    "a '/' in environment",
    { names: 'environment', rule: /Sentry forbids '\/' in an environment name/, inputs: { environment: 'prod/eu' } }
  ],
  [
    'a newline in environment',
    {
      names: 'environment',
      rule: /contains a control character \(a newline, a tab, a NUL…\): give one name on one line/,
      inputs: { environment: 'prod\neu' }
    }
  ],
  [
    'a 65-character environment',
    { names: 'environment', rule: /at most 64 characters in an environment name/, inputs: { environment: 'e'.repeat(65) } }
  ],
  // enumerations and booleans
  ['set_commits unknown', { names: 'set_commits', rule: /'always' must be one of auto, (\w+, )*skip/, inputs: { set_commits: 'always' } }],
  ['dry_run yes', { names: 'dry_run', rule: /'yes' must be true or false/, inputs: { dry_run: 'yes' } }],
  ['create 1', { names: 'create', rule: /'1' must be true or false/, inputs: { create: '1' } }],
  ['finalize maybe', { names: 'finalize', rule: /'maybe' must be true or false/, inputs: { finalize: 'maybe' } }],
  ['allow_insecure_http on', { names: 'allow_insecure_http', rule: /'on' must be true or false/, inputs: { allow_insecure_http: 'on' } }],
  [
    'request_timeout 0',
    { names: 'request_timeout', rule: /'0' must be a number of seconds above 0 and at most 600/, inputs: { request_timeout: '0' } }
  ],
  [
    'request_timeout a word',
    { names: 'request_timeout', rule: /'soon' must be a number of seconds above 0 and at most 600/, inputs: { request_timeout: 'soon' } }
  ],
  // the checkout
  [
    'working_directory missing',
    { names: 'working_directory', rule: /no-such-dir does not exist/, inputs: { working_directory: 'no-such-dir' } }
  ],
  [
    'working_directory not a git checkout',
    { names: 'working_directory', rule: /is not a git checkout/, inputs: { working_directory: '' }, run: () => pushTagFrom(notGit) }
  ],
  // the runner's event
  [
    'a malformed event payload',
    {
      names: 'GITHUB_EVENT_PATH',
      rule: /Cannot read the event payload GITHUB_EVENT_PATH=.*broken\.json: .*JSON/,
      run: () => pushWithEventFile('broken.json')
    }
  ],
  [
    'a missing event payload',
    {
      names: 'GITHUB_EVENT_PATH',
      rule: /Cannot read the event payload GITHUB_EVENT_PATH=.*gone\.json: ENOENT/,
      run: () => pushWithEventFile('gone.json')
    }
  ],
  [
    'an event payload that is not an object',
    { names: 'GITHUB_EVENT_PATH', rule: /is not a JSON object/, run: () => runEvent('push', ['refs/tags/v1.2.0']) }
  ],
  [
    'a pull_request event',
    {
      names: 'pull_request',
      rule: /is not supported: its GITHUB_SHA is a temporary merge commit/,
      run: () =>
        runEvent(
          'pull_request',
          examplePayload('pull_request', () => true)
        )
    }
  ]
]
expect(cases.length).toBeGreaterThanOrEqual(30)

const pushTagFrom = (workspace: string) => pushTagIn(fx.repo, fx.emulator.url, 'v1.2.0', {}, {}, workspace)

const pushWithEventFile = (name: string) =>
  pushTagIn(fx.repo, fx.emulator.url, 'v1.2.0', {}, { GITHUB_EVENT_PATH: path.join(notGit, name) })

/** Another event than a tag push, run on the repository's v1.2.0 commit. */
function runEvent(eventName: string, payload: unknown): Promise<ActionRun> {
  return runAction({
    inputs: { auth_token: DEFAULT_TOKEN, sentry_url: fx.emulator.url, org: 'acme', projects: 'web' },
    eventName,
    payload: payload as Record<string, unknown>,
    ref: 'refs/tags/v1.2.0',
    sha: fx.commits[3],
    workspace: fx.repo.dir
  })
}

describe('bad input: exit 1, one ::error:: line naming the input and the rule, nothing sent when known early', () => {
  test.each(cases)('%s', async (_, bad) => {
    const run = await (bad.run ?? (() => fx.pushTag('v1.2.0', bad.inputs, bad.env)))()
    expect(run.code).toBe(1)
    const errors = annotations(run.stdout)
      .filter(([kind]) => kind === 'error')
      .map(([, message]) => message)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(bad.rule)
    // Quoted, so 'org' is not found in "organizations" nor 'release' in "releases".
    expect(errors[0]).toContain(bad.names === 'GITHUB_EVENT_PATH' ? 'GITHUB_EVENT_PATH=' : `'${bad.names}'`)
    for (const text of [run.stdout, run.stderr]) {
      expect(text).not.toMatch(/^\s+at /m)
      expect(text).not.toMatch(/dist\/index\.js|webpack:|node_modules/)
    }
    expect(run.stderr).toBe('')
    expect(errors[0]).not.toContain('hunter22')
    if (!bad.needsServer) expect(fx.emulator.requests).toEqual([])
  })
})
