import { describe, expect, test } from '@jest/globals'
import { DEFAULT_ORG_TOKEN, DEFAULT_TOKEN, makeOrgToken } from '../../emulator/index.js'
import { LOOKUP_LINE, REPOSITORY_LOOKUP_PATH, requestLines, useE2eFixture } from '../helpers/e2e-fixture.js'
import { type ActionRun, annotations } from '../../harness/run-action.js'
import { assertNoSecretLeak, secretLeaks, secretNeedles } from '../../harness/secret-scan.js'

// run-action scans every end-to-end run for its token (harness/secret-scan.ts); these tests prove the scan
// can fail, and cover the token's own paths: env, org tokens, 401s, dry runs.

const SECRET = 'Zx9_secretPart-1234567890abcdef'
const ORG_TOKEN = makeOrgToken({ org: 'acme', url: 'https://sentry.example.com', secret: SECRET })
/** After `sntrys_<payload>_`: the base64 payload has no '_'. */
const secretOf = (token: string): string => token.slice(token.indexOf('_', 'sntrys_'.length) + 1)

describe('the secret scanner', () => {
  test('an org token yields itself and every 8-character piece of its secret, not of its public payload', () => {
    const needles = secretNeedles([ORG_TOKEN])
    expect(needles[0]).toBe(ORG_TOKEN)
    expect(needles).toContain(SECRET.slice(0, 8))
    expect(needles).toContain(SECRET.slice(-8))
    expect(needles).toHaveLength(1 + SECRET.length - 7)
    expect(secretNeedles([DEFAULT_TOKEN, undefined, '', 'short'])).toEqual([DEFAULT_TOKEN])
  })

  test('finds the token or a piece of the secret anywhere but the add-mask lines at the very top of stdout', () => {
    const needles = secretNeedles([ORG_TOKEN])
    const masks = `::add-mask::${ORG_TOKEN}\n::add-mask::${SECRET}\n`
    expect(secretLeaks({ stdout: `${masks}Release v1 done\n`, summary: 'ok' }, needles)).toEqual([])
    expect(secretLeaks({ stdout: `${masks}Release v1\nauth: ...${SECRET.slice(5, 15)}...\n` }, needles)).toEqual(['stdout line 4'])
    expect(secretLeaks({ stdout: `Starting\n::add-mask::${ORG_TOKEN}\n` }, needles)).toEqual(['stdout line 2'])
    expect(secretLeaks({ GITHUB_OUTPUT: `json<<EOF\n{"t":"${ORG_TOKEN}"}\nEOF\n` }, needles)).toEqual(['GITHUB_OUTPUT line 2'])
    expect(() => assertNoSecretLeak({ summary: `| token | ${DEFAULT_TOKEN} |` }, [DEFAULT_TOKEN])).toThrow(
      'The auth token (or a part of its secret) leaked into summary line 1'
    )
  })
})

const fx = useE2eFixture('v1.2.0')

/** The runner's add-mask commands come first, before any other line: nothing is logged unmasked. */
function expectMaskedFirst(run: ActionRun, ...secrets: string[]): void {
  expect(run.stdout.split('\n').slice(0, secrets.length)).toEqual(secrets.map(secret => `::add-mask::${secret}`))
}

describe('the token', () => {
  test('every run is scanned: a token that reaches the log fails the test that ran it', async () => {
    // Used as the release name, the token is printed; the runner would mask it, the scan must catch it.
    await expect(fx.pushTag('v1.2.0', { release: DEFAULT_TOKEN })).rejects.toThrow(/leaked into stdout line \d+/)
  })

  test('a user token from SENTRY_AUTH_TOKEN is masked first; on success and on a 401', async () => {
    const success = await fx.pushTag('v1.2.0', { auth_token: '' }, { SENTRY_AUTH_TOKEN: DEFAULT_TOKEN })
    expect(success.code).toBe(0)
    expectMaskedFirst(success, DEFAULT_TOKEN)
    const wrong = `${DEFAULT_TOKEN}0`
    fx.emulator.requests.length = 0
    const failure = await fx.pushTag('v1.2.0', { auth_token: wrong })
    expect(failure.code).toBe(1)
    expectMaskedFirst(failure, wrong)
    // A wrong token fails at the first request, the repository lookup: nothing is written.
    expect(requestLines(fx.emulator)).toEqual([`GET ${REPOSITORY_LOOKUP_PATH} 401`])
    expect(annotations(failure.stdout)).toEqual([
      ['error', `Sentry answered 401 to GET ${REPOSITORY_LOOKUP_PATH}: Invalid token (check 'auth_token')`]
    ])
  })

  test('an org token supplies the org; the token and, on its own, its secret are masked first', async () => {
    const success = await fx.pushTag('v1.2.0', { auth_token: DEFAULT_ORG_TOKEN, org: '' })
    expect(success.code).toBe(0)
    expect(requestLines(fx.emulator)).toEqual([
      LOOKUP_LINE,
      'POST /api/0/organizations/acme/releases/ 208',
      'PUT /api/0/organizations/acme/releases/v1.2.0/ 200'
    ])
    expectMaskedFirst(success, DEFAULT_ORG_TOKEN, secretOf(DEFAULT_ORG_TOKEN))
  })

  test("an unknown org token: its url and org are used, Sentry's 401 points at auth_token", async () => {
    const token = makeOrgToken({ org: 'other', url: fx.emulator.url, secret: SECRET })
    const run = await fx.pushTag('v1.2.0', { auth_token: token, org: '', sentry_url: '' })
    expect(run.code).toBe(1)
    expectMaskedFirst(run, token, SECRET)
    const lookup = REPOSITORY_LOOKUP_PATH.replace('/acme/', '/other/')
    expect(requestLines(fx.emulator)).toEqual([`GET ${lookup} 401`])
    expect(annotations(run.stdout)).toEqual([['error', `Sentry answered 401 to GET ${lookup}: Invalid org token (check 'auth_token')`]])
  })

  test('a dry run with a token prints the plan, sends nothing and shows no token', async () => {
    const run = await fx.pushTag('v1.2.0', { auth_token: DEFAULT_ORG_TOKEN, dry_run: 'true' })
    expect(run.code).toBe(0)
    expect(fx.emulator.requests).toEqual([])
    expect(run.stdout).toContain('Dry run: nothing is sent to Sentry.')
    expect(run.summary).toContain('(dry run: nothing sent)')
  })

  test('every request carries the token only in the Authorization header', async () => {
    expect((await fx.pushTag('v1.2.0')).code).toBe(0)
    expect(fx.emulator.requests.map(request => request.method)).toEqual(['GET', 'POST', 'PUT'])
    for (const request of fx.emulator.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_TOKEN}`)
      const elsewhere = JSON.stringify({ ...request, headers: { ...request.headers, authorization: '' } })
      expect(elsewhere).not.toContain(DEFAULT_TOKEN)
    }
  })
})
