import { describe, expect, test } from '@jest/globals'
import { versionProblem } from '../../src/core/version.js'

describe('versionProblem (Sentry Release.is_valid_version)', () => {
  test.each(['1.2.3', '1.2.3+dev', 'web@1.4.0', ' 1.2.3 ', 'latest-build', 'x'.repeat(200), 'é'.repeat(200)])('accepts %j', version =>
    expect(versionProblem(version)).toBeUndefined()
  )

  test.each([
    ['1.2.3\n', 'Sentry forbids a newline in a release name'],
    ['\n1.2.3', 'Sentry forbids a newline in a release name'],
    ['1.\r2', 'Sentry forbids a carriage return in a release name'],
    ['1.2.3\f', 'Sentry forbids a form feed in a release name'],
    ['1.2.3\t', 'Sentry forbids a tab in a release name'],
    ['release/1.0', "Sentry forbids '/' in a release name"],
    ['a\\b', "Sentry forbids '\\' in a release name"],
    ['', 'the release name is empty'],
    ['   ', 'the release name is empty'],
    ['.', "Sentry reserves the release name '.'"],
    [' .. ', "Sentry reserves the release name '..'"],
    ['Latest', "Sentry reserves the release name 'Latest'"],
    ['x'.repeat(201), 'the release name has 201 characters; Sentry allows at most 200']
  ])('rejects %j', (version, problem) => expect(versionProblem(version)).toBe(problem))
})
