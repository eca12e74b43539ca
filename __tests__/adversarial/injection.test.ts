import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { deploymentPayload } from '../../harness/deploy-events.js'
import { tagPushPayload } from '../../harness/events.js'
import { answer, type HostileServer, startHostileServer } from '../helpers/hostile-server.js'
import { expectContained, sentryLike, TOKEN, useAdversarialRepo } from './contained.js'

// Values from outside that try to become workflow commands (a deploy's environment, a tag name, Sentry's ids and
// messages), inputs that try to escape their purpose, and payload files that are not GitHub's. Each run ends with the
// annotations planned and no command of its own making.

const fx = useAdversarialRepo()
let sentry: HostileServer
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sra-adversarial-'))
  // Sentry's deploy answer carries commands in its id and environment; its repository lookup refuses with some.
  sentry = await startHostileServer(
    sentryLike([
      [
        /^POST .*\/deploys\/$/,
        answer(201, { id: '1\n::add-mask::OWNED', environment: 'prod\r::warning::OWNED', name: '##[set-output name=deployId;]OWNED' })
      ],
      [/^GET .*\/repos\//, answer(403, { detail: 'denied ##[add-mask]OWNED\n::stop-commands::OWNED' })]
    ])
  )
})
afterAll(async () => {
  await sentry.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('workflow commands smuggled in values from outside', () => {
  test("a deployment whose environment holds a newline and a command: refused, naming 'environment', in one line", async () => {
    const payload = deploymentPayload(fx.commits[1], 'refs/tags/v1.1.0')
    Object.assign(payload.deployment as Record<string, unknown>, { environment: 'prod\n::warning::OWNED' })
    const run = await fx.pushTag(sentry.url, {}, { eventName: 'deployment', payload, ref: 'refs/tags/v1.1.0' })
    expect(expectContained(run, { code: 1 })).toBe(
      "Input 'environment': Sentry forbids a newline in an environment name: \"prod\\n::warning::OWNED\" (the deployment's environment)"
    )
    expect(sentry.requests).toEqual([])
  })

  test("a tag name with a legacy '##[' command: released under that name, no log line reads as a command", async () => {
    const tag = 'v1.1.0##[add-mask]OWNED'
    const payload = tagPushPayload(tag, fx.commits[1])
    const run = await fx.pushTag(sentry.url, {}, { payload, ref: `refs/tags/${tag}` })
    expectContained(run, { code: 0 })
    expect(run.outputs.release).toBe(tag)
    expect(run.stdout).toContain('#\u2060#[add-mask]OWNED')
  })

  test('a tag name with a NUL: refused in one inert line before git or Sentry hear of it', async () => {
    const tag = 'v1.1.0\u0000::warning::OWNED'
    const run = await fx.pushTag(sentry.url, {}, { payload: tagPushPayload(tag, fx.commits[1]), ref: 'refs/tags/v1.1.0' })
    expect(expectContained(run, { code: 1 })).toBe(
      "The event names tag 'v1.1.0\\u0000:\u2060:warning:\u2060:OWNED', which holds a control character: no git tag has one"
    )
  })

  test("Sentry's deploy id, environment and name with commands: recorded, shown inert", async () => {
    const before = sentry.requests.length
    const run = await fx.pushTag(sentry.url, { environment: 'production' })
    expectContained(run, { code: 0 })
    // The create (Sentry kept the fields sent), then the deploy.
    expect(sentry.requests.slice(before).map(request => request.split(' ')[0])).toEqual(['POST', 'POST'])
    expect(run.stdout).toContain('Sentry recorded deploy 1\\u000a:\u2060:add-mask:\u2060:OWNED to prod\\u000d:\u2060:warning:\u2060:OWNED.')
    // Outputs carry Sentry's values as they are: GITHUB_OUTPUT is no log.
    expect(run.outputs.deployId).toBe('1\n::add-mask::OWNED')
  })

  test("a repository lookup refused with commands in Sentry's message: the info line stays plain", async () => {
    const run = await fx.pushTag(sentry.url, { set_commits: 'auto' })
    expectContained(run, { code: 0 })
    expect(run.stdout).toContain("Cannot list Sentry's repositories (Sentry answered 403 to GET /api/0/organizations/acme/repos/")
    expect(run.stdout).toContain('denied #\u2060#[add-mask]OWNED')
    expect(run.stdout).not.toContain('stop-commands')
  })
})

describe('inputs that try to escape their purpose', () => {
  const secret = TOKEN.slice(TOKEN.lastIndexOf('_') + 1)
  const ORG_RULE = "Input 'org': must be the org's slug as in Sentry's URLs (letters, digits, '-' and '_'), e.g. acme-inc"
  const seconds = (input: string, value: string, range: string) => `Input '${input}': '${value}' must be a number of seconds ${range}`
  test.each<[string, Record<string, string>, string]>([
    ['org ..', { org: '..' }, ORG_RULE],
    ['org ../../admin', { org: '../../admin' }, ORG_RULE],
    ['the token as sentry_url', { sentry_url: TOKEN }, "Input 'sentry_url': '(a value that looks like a token, not shown)' is not a URL"],
    [
      "the token in sentry_url's path",
      { sentry_url: `https://sentry.example.com/${TOKEN}` },
      "Input 'sentry_url': 'https://sentry.example.com' has a path that looks like a token: " +
        "give Sentry's base URL; the token goes in 'auth_token'"
    ],
    [
      "the secret in sentry_url's query",
      { sentry_url: `https://sentry.example.com/?token=${secret}` },
      "Input 'sentry_url': 'https://sentry.example.com' must not have a query (?) or fragment (#)"
    ],
    [
      'repo with a newline and a command',
      { repo: 'acme/web\n::warning::OWNED' },
      "Input 'repo': contains a control character (a newline, a tab, a NUL…): give one name on one line"
    ],
    ['wait_for_commits 1e12', { wait_for_commits: '1e12' }, seconds('wait_for_commits', '1e12', 'from 0 to 3600')],
    ['request_timeout beyond timers', { request_timeout: '1e300' }, seconds('request_timeout', '1e300', 'above 0 and at most 600')],
    ['initial_depth 1e12', { initial_depth: '1e12' }, "Input 'initial_depth': '1e12' must be a whole number from 1 to 100000"],
    ['an impossible date', { date_released: '2024-02-30' }, "Input 'date_released': '2024-02-30' must be an ISO 8601 date or unix seconds"]
  ])('%s: refused in one line, nothing sent', async (_, inputs, message) => {
    const before = sentry.requests.length
    const run = await fx.pushTag(sentry.url, inputs)
    expect(expectContained(run, { code: 1 })).toBe(message)
    expect(sentry.requests.length).toBe(before)
  })

  test('working_directory naming a file: refused in one line', async () => {
    const file = path.join(dir, 'not-a-directory')
    await writeFile(file, '')
    const run = await fx.pushTag(sentry.url, { working_directory: file, set_commits: 'auto' })
    expect(expectContained(run, { code: 1 })).toBe(`Input 'working_directory': ${file} is a file, not a directory`)
  })
})

describe('payload files that are not what GitHub sends', () => {
  const eventPath = (run: { stdout: string }): string => /GITHUB_EVENT_PATH=(\S+?)[: ]/.exec(run.stdout)?.[1] ?? ''

  test.each([
    ['broken JSON', '{"ref": "refs/tags/v1.1.0",', /^Cannot read the event payload GITHUB_EVENT_PATH=\S+: .*JSON.*$/],
    ['a JSON array', '[{"ref": "refs/tags/v1.1.0"}]', /^The event payload GITHUB_EVENT_PATH=\S+ is not a JSON object$/],
    ['JSON null', 'null', /^The event payload GITHUB_EVENT_PATH=\S+ is not a JSON object$/]
  ])('%s: one line naming GITHUB_EVENT_PATH', async (_, payloadText, message) => {
    const run = await fx.pushTag(sentry.url, {}, { payloadText })
    expect(expectContained(run, { code: 1 })).toMatch(message)
    expect(eventPath(run)).toMatch(/event\.json$/)
  })

  test('a 50 MB payload: refused before it is parsed, memory flat', async () => {
    const payloadText = JSON.stringify({ ...tagPushPayload('v1.1.0', fx.commits[1]), padding: 'x'.repeat(50 * 1024 * 1024) })
    const run = await fx.pushTag(sentry.url, {}, { payloadText })
    // A run takes some 75 MiB (up to ~105 on a loaded machine); reading the file would add its 50 MB, parsing it twice that.
    expect(expectContained(run, { code: 1, maxRssMb: 120 })).toMatch(
      /^Cannot read the event payload GITHUB_EVENT_PATH=\S+: it has \d+ bytes; GitHub's event payloads have at most 25 MiB$/
    )
  })
})

describe('an error outside run()', () => {
  test('thrown from a timer while a request waits: still one line, no stack trace', async () => {
    const silentSentry = await startHostileServer(() => {})
    const preload = path.join(dir, 'throw-later.mjs')
    await writeFile(preload, "setTimeout(() => { throw new Error('thrown outside run()\\n    at nowhere (x.js:1:1)') }, 300)\n")
    try {
      const run = await fx.pushTag(silentSentry.url, { request_timeout: '5' }, { env: { NODE_OPTIONS: `--import=${preload}` } })
      expect(expectContained(run, { code: 1, maxWallMs: 3000 })).toBe('thrown outside run()')
    } finally {
      await silentSentry.stop()
    }
  })
})
