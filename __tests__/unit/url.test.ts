import { describe, expect, test } from '@jest/globals'
import { apiUrl, checkHttpUrl, githubPage, releasePageUrl, releasePath, sentryBaseUrl } from '../../src/core/url.js'

describe('url', () => {
  test('the version is one percent-encoded path segment', () => {
    expect(releasePath('acme', '1.2.3+dev')).toBe('organizations/acme/releases/1.2.3%2Bdev/')
    expect(releasePath('acme', 'a b#?%')).toBe('organizations/acme/releases/a%20b%23%3F%25/')
    expect(releasePath('acme', 'web@1.4.0')).toBe('organizations/acme/releases/web%401.4.0/')
  })

  test('a self-hosted sub-path is kept and trailing slashes dropped', () => {
    const base = sentryBaseUrl('https://example.com/sentry//', 'sentry_url')
    expect(base).toBe('https://example.com/sentry')
    expect(apiUrl(base, releasePath('acme', 'v1'))).toBe('https://example.com/sentry/api/0/organizations/acme/releases/v1/')
    expect(releasePageUrl(base, 'acme', 'v1')).toBe('https://example.com/sentry/organizations/acme/releases/v1/')
  })

  test.each([
    ['not a url', "Input 'sentry_url': 'not a url' is not a URL"],
    ['ftp://example.com', "Input 'sentry_url': 'ftp://example.com' must start with https:// or http://"]
  ])('rejects %j naming the input', (value, message) => {
    expect(() => checkHttpUrl(value, 'sentry_url')).toThrow(message)
  })

  test('plain http only for this machine, unless allowed', () => {
    for (const local of ['http://127.0.0.1:9000', 'http://127.1.2.3', 'http://localhost:9000/sentry', 'http://[::1]:9000']) {
      expect(sentryBaseUrl(local, 'sentry_url')).toBe(local)
    }
    expect(() => sentryBaseUrl('http://127.example.com', 'sentry_url')).toThrow(/would send the token unencrypted/)
    expect(() => sentryBaseUrl('http://sentry.internal', 'sentry_url')).toThrow(
      "Input 'sentry_url': 'http://sentry.internal' would send the token unencrypted: use https://, or set 'allow_insecure_http: true' if the network is trusted"
    )
    expect(sentryBaseUrl('http://sentry.internal/', 'sentry_url', true)).toBe('http://sentry.internal')
  })

  test.each([
    [
      'https://ci:hunter22@sentry.example.com',
      "Input 'sentry_url': must not contain credentials (user:password@); the token goes in 'auth_token'"
    ],
    ['https://sentry.example.com/?org=acme', "Input 'sentry_url': 'https://sentry.example.com' must not have a query (?) or fragment (#)"],
    ['https://sentry.example.com/#top', "Input 'sentry_url': 'https://sentry.example.com' must not have a query (?) or fragment (#)"],
    ['ci:hunter22@sentry.example.com', "Input 'sentry_url': 'ci:' must start with https:// or http://"]
  ])('refuses %j for the token, without quoting credentials', (value, message) => {
    expect(() => sentryBaseUrl(value, 'sentry_url')).toThrow(message)
  })

  // A token pasted into the URL must not reach the log through the error: only scheme and host are quoted.
  test.each([
    ['https://sentry.example.com/?token=SECRET', "'https://sentry.example.com' must not have a query (?) or fragment (#)"],
    ['https://sentry.example.com/sentry#SECRET', "'https://sentry.example.com' must not have a query (?) or fragment (#)"],
    ['https://sentry.example.com:abc/SECRET', "'https://sentry.example.com:abc' is not a URL"],
    ['https://user:pa@ssSECRET@x y', "'https://x y' is not a URL"],
    ['https://SECRET@[bad', "'https://[bad' is not a URL"],
    ['ftp://sentry.example.com/SECRET', "'ftp://sentry.example.com' must start with https:// or http://"],
    ['mailto:SECRET', "'mailto:' must start with https:// or http://"],
    ['http://sentry.internal/SECRET', "'http://sentry.internal' would send the token unencrypted"],
    ['sentry.example.com/SECRET', "'sentry.example.com' is not a URL"],
    [`https://sentry.example.com/sntrys_${'SECRET'.repeat(3)}`, "'https://sentry.example.com' has a path that looks like a token"],
    [`https://sentry.example.com/${'SECRET0123'.repeat(6)}/`, "'https://sentry.example.com' has a path that looks like a token"],
    [`https://sentry.example.com/%73ntryu_SECRET%zz`, "'https://sentry.example.com' has a path that looks like a token"]
  ])('%j: quotes scheme and host only', (value, message) => {
    expect(() => sentryBaseUrl(value, 'sentry_url')).toThrow(`Input 'sentry_url': ${message}`)
    expect(() => sentryBaseUrl(value, 'sentry_url')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('SECRET') }))
  })

  test('GitHub pages encode each segment', () => {
    expect(githubPage('https://github.com/acme/web', 'releases', 'tag', 'web@1.0 rc')).toBe(
      'https://github.com/acme/web/releases/tag/web%401.0%20rc'
    )
  })
})
