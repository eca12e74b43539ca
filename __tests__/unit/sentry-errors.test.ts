import { describe, expect, test } from '@jest/globals'
import type { PlannedRequest } from '../../src/core/requests.js'
import { errorDetail, SentryError, sentryError } from '../../src/core/sentry-errors.js'

const put: PlannedRequest = { method: 'PUT', path: 'organizations/acme/releases/v1/', body: {} }

describe('errorDetail: a hostile body is cut to a readable line', () => {
  test('100,000 field errors: five fields and a count', () => {
    const fields = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`f${i}`, ['bad']]))
    expect(errorDetail(fields)).toBe('f0: bad; f1: bad; f2: bad; f3: bad; f4: bad; … (99995 more)')
  })

  test('a body nested 100,000 levels deep does not overflow the stack', () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 100_000; i++) deep = { detail: [deep] }
    expect(errorDetail(deep)).toBe('…')
  })

  test('megabytes of text: one line of at most 300 characters', () => {
    expect(errorDetail({ detail: 'x'.repeat(5_000_000) }).length).toBeLessThanOrEqual(301)
    expect(errorDetail(Array.from({ length: 1000 }, () => 'y'.repeat(150))).length).toBe(301)
  })
})

describe('errorDetail', () => {
  test.each([
    [{ detail: 'Release commits are currently being processed' }, 'Release commits are currently being processed'],
    [{ refs: ['Invalid repository names: acme/x'] }, 'refs: Invalid repository names: acme/x'],
    [{ refs: { repository: ['This field is required.'] } }, 'refs.repository: This field is required.'],
    [
      { ref: ['Ensure this field has no more than 200 characters.'], url: ['Enter a valid URL.'] },
      'ref: Ensure this field has no more than 200 characters.; url: Enter a valid URL.'
    ],
    [{ non_field_errors: ['Invalid data.', 'Expected a dictionary.'] }, 'non_field_errors: Invalid data. Expected a dictionary.'],
    ['Bad Gateway\nnginx', 'Bad Gateway'],
    [undefined, '']
  ])('%j -> %j', (body, text) => expect(errorDetail(body)).toBe(text))
})

describe('sentryError', () => {
  test.each([
    [
      400,
      { refs: ['Invalid repository names: acme/x'] },
      "Sentry answered 400 to PUT /api/0/organizations/acme/releases/v1/: refs: Invalid repository names: acme/x (check 'repo'); Sentry saved nothing else, but set no commits"
    ],
    [
      400,
      { projects: ['Invalid project ids or slugs'] },
      "Sentry answered 400 to PUT /api/0/organizations/acme/releases/v1/: projects: Invalid project ids or slugs (check 'projects')"
    ],
    [
      401,
      { detail: 'Invalid org token' },
      "Sentry answered 401 to PUT /api/0/organizations/acme/releases/v1/: Invalid org token (check 'auth_token')"
    ],
    [
      403,
      { detail: 'You do not have permission to perform this action.' },
      "Sentry answered 403 to PUT /api/0/organizations/acme/releases/v1/: You do not have permission to perform this action. (the token needs the org:ci or project:releases scope, in org 'acme')"
    ],
    [503, undefined, 'Sentry answered 503 to PUT /api/0/organizations/acme/releases/v1/']
  ])('%i %j', (status, body, message) => {
    const error = sentryError(put, 'acme', status, body)
    expect(error).toBeInstanceOf(SentryError)
    expect(error.status).toBe(status)
    expect(error.message).toBe(message)
  })

  test('a 404 names the org as a cause: Sentry answers the same for an org the token cannot see', () => {
    const notFound = { detail: 'The requested resource does not exist' }
    expect(sentryError({ ...put, path: 'organizations/nope/releases/v1/' }, 'nope', 404, notFound).message).toBe(
      'Sentry answered 404 to PUT /api/0/organizations/nope/releases/v1/: The requested resource does not exist ' +
        "(Sentry has no such release in org 'nope', or the token cannot see org 'nope': check 'org')"
    )
    const create: PlannedRequest = { method: 'POST', path: 'organizations/nope/releases/', body: {} }
    expect(sentryError(create, 'nope', 404, notFound).message).toBe(
      'Sentry answered 404 to POST /api/0/organizations/nope/releases/: The requested resource does not exist ' +
        "(Sentry has no org 'nope', or the token cannot see org 'nope': check 'org')"
    )
  })

  test("a deploy's rejected field names the deploy's input, not the release's", () => {
    const deploy: PlannedRequest = { method: 'POST', path: 'organizations/acme/releases/v1/deploys/', body: {} }
    expect(sentryError(deploy, 'acme', 400, { url: ['Enter a valid URL.'] }).message).toBe(
      "Sentry answered 400 to POST /api/0/organizations/acme/releases/v1/deploys/: url: Enter a valid URL. (check 'deploy_url')"
    )
    expect(sentryError(deploy, 'acme', 400, { name: ['Ensure this field has no more than 64 characters.'] }).message).toMatch(
      /\(check 'deploy_name'\)$/
    )
    expect(sentryError(put, 'acme', 400, { url: ['Enter a valid URL.'] }).message).toMatch(/\(check 'release_url'\)$/)
  })

  test('a refs error raised after saving says what Sentry kept (docs/sentry-api.md section 1, step 7)', () => {
    const refsError = { refs: ['Invalid repository names: acme/x'] }
    const body = { ref: 'abc', url: '', dateReleased: '2024-01-01T00:00:00Z', refs: [] }
    expect(sentryError({ ...put, body }, 'acme', 400, refsError).message).toMatch(/; Sentry saved ref, dateReleased, but set no commits$/)
    const create: PlannedRequest = { method: 'POST', path: 'organizations/acme/releases/', body: { ...body, url: 'https://x.test' } }
    expect(sentryError(create, 'acme', 400, refsError).message).toMatch(
      /; Sentry created the release if it was new \(with ref, url, dateReleased\), or kept it as it was, but set no commits$/
    )
  })

  test('a refs validation error comes before any saving, so it says nothing of it', () => {
    const message = sentryError(put, 'acme', 400, { refs: { repository: ['This field is required.'] } }).message
    expect(message).toBe(
      "Sentry answered 400 to PUT /api/0/organizations/acme/releases/v1/: refs.repository: This field is required. (check 'repo')"
    )
  })
})
