import { describe, expect, test } from '@jest/globals'
import { apiUrl, checkHttpUrl, githubPage, releasePageUrl, releasePath, sentryBaseUrl } from '../../src/url.js'

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

  test('GitHub pages encode each segment', () => {
    expect(githubPage('https://github.com/acme/web', 'releases', 'tag', 'web@1.0 rc')).toBe(
      'https://github.com/acme/web/releases/tag/web%401.0%20rc'
    )
  })
})
