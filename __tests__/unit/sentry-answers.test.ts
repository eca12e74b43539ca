import { describe, expect, test } from '@jest/globals'
import { deployAnswer, listAnswer, NotSentryError, releaseAnswer } from '../../src/core/sentry-answers.js'

const URL = 'https://sentry.example.com/sub'
const release = { version: 'v1', commitCount: 2, deployCount: 0 }

describe('releaseAnswer: a 2xx is a success only when it is the planned release', () => {
  test('the release itself passes through', () => expect(releaseAnswer(release, 'v1', URL)).toBe(release))

  test.each([
    [undefined, 'no JSON (an empty body or an HTML page)'],
    ['<html>', 'text that is not JSON'],
    [null, 'JSON null'],
    [[release], 'a JSON array'],
    [42, 'a JSON number'],
    [{}, 'an empty JSON object'],
    [{ ...release, version: 'v2' }, 'a JSON object of another shape'],
    [{ version: 'v1', commitCount: '2', deployCount: 0 }, 'a JSON object of another shape'],
    [{ version: 'v1', commitCount: -1, deployCount: 0 }, 'a JSON object of another shape']
  ])('%j: %s, naming sentry_url by scheme and host only', (body, what) => {
    const failure = () => releaseAnswer(body, 'v1', URL)
    expect(failure).toThrow(NotSentryError)
    expect(failure).toThrow(
      `The server at https://sentry.example.com answered with ${what} where Sentry's API sends the release "v1": ` +
        "check 'sentry_url' (Sentry's base URL, without /api/0/, e.g. https://sentry.io)"
    )
  })
})

describe('deployAnswer and listAnswer', () => {
  test('a deploy needs an id and an environment', () => {
    expect(deployAnswer({ id: '7', environment: 'production' }, URL)).toEqual({ id: '7', environment: 'production' })
    expect(() => deployAnswer({ environment: 'production' }, URL)).toThrow(
      "where Sentry's API sends a deploy (an object with an id and an environment)"
    )
    expect(() => deployAnswer('ok', URL)).toThrow('answered with text that is not JSON')
  })

  test('a list is an array of objects', () => {
    expect(listAnswer([{ id: '1' }], 'deploys', URL)).toEqual([{ id: '1' }])
    expect(() => listAnswer({ results: [] }, 'deploys', URL)).toThrow("where Sentry's API sends a list of deploys")
    expect(() => listAnswer([1, 2], 'repositories', URL)).toThrow("where Sentry's API sends a list of repositories")
  })
})
