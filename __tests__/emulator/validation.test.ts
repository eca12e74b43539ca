// ReleaseSerializerTest (docs/sentry-api.md section 9, cases 39-45) and every PUT body rule of docs/sentry-api.md section 1.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import { call, releasePath } from './client.js'
import { seedWith } from './seeds.js'

let em: Emulator
beforeAll(async () => {
  em = await startEmulator({ fetchDelayMs: 5 })
})
afterAll(async () => {
  await em.stop()
})
beforeEach(() => em.reset(seedWith({ version: 'v1', ref: 'old-ref', url: 'https://old.example.com' })))

const put = (body: unknown) => call(em.url, 'PUT', releasePath('v1'), body)
const sha = 'a'.repeat(40)
const tooLong = (n: number) => `Ensure this field has no more than ${n} characters.`

describe('ReleaseSerializerTest', () => {
  test('test_simple: every field is accepted and dates are parsed', async () => {
    const res = await put({
      ref: 'master',
      url: 'https://example.com',
      dateReleased: '1000-10-10T06:06',
      status: 'open',
      commits: [
        { id: sha, repository: 'acme/web', message: 'm', author_name: 'A', author_email: 'a@x.org', timestamp: '2024-01-01T00:00:00Z' }
      ],
      headCommits: [{ currentId: sha, repository: 'acme/web', previousId: null }]
    })
    expect(res).toMatchObject({
      status: 200,
      body: { ref: 'master', url: 'https://example.com', dateReleased: '1000-10-10T06:06:00.000Z', commitCount: 1 }
    })
  })

  test('test_fields_not_required: {} is valid and changes nothing', async () => {
    const before = em.release('acme', 'v1')
    expect(await put({})).toEqual(expect.objectContaining({ status: 200, body: before }))
  })

  test.each([['commits'], ['headCommits'], ['refs']])('test_do_not_allow_null_%s', async field => {
    expect(await put({ [field]: null })).toMatchObject({ status: 400, body: { [field]: ['This field may not be null.'] } })
  })

  test('test_ref_limited_by_max_version_length', async () => {
    expect((await put({ ref: 'r'.repeat(200) })).status).toBe(200)
    expect(await put({ ref: 'r'.repeat(201) })).toMatchObject({ status: 400, body: { ref: [tooLong(200)] } })
  })

  test('test_author_email_patch', async () => {
    const res = await put({ commits: [{ id: sha, author_name: 'x', author_email: 'email[test]@example.org' }] })
    expect(res).toMatchObject({ status: 200, body: { authors: [{ name: 'x', email: 'email[test]@example.org' }] } })
  })
})

describe('PUT body rules (docs/sentry-api.md section 1)', () => {
  test.each([
    [{ url: 'not a url' }, { url: ['Enter a valid URL.'] }],
    [
      { dateReleased: 'yesterday' },
      { dateReleased: ['Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'] }
    ],
    [{ status: 'closed' }, { status: ['Invalid status closed'] }],
    [{ status: null }, { status: ['This field may not be null.'] }],
    [{ commits: {} }, { commits: ['Expected a list of items but got type "dict".'] }],
    [{ refs: 'abc' }, { refs: ['Expected a list of items but got type "str".'] }],
    [{ commits: [{ id: 'x'.repeat(65) }] }, { commits: { id: [tooLong(64)] } }],
    [{ commits: [{ id: sha, repository: 'r'.repeat(65) }] }, { commits: { repository: [tooLong(64)] } }],
    [{ commits: [{ id: sha, author_name: 'n'.repeat(129) }] }, { commits: { author_name: [tooLong(128)] } }],
    [{ commits: [{ id: sha, author_email: 'e'.repeat(201) }] }, { commits: { author_email: [tooLong(200)] } }],
    [
      { commits: [{ id: sha, patch_set: [{ path: 'a', type: 'X' }] }] },
      { commits: { patch_set: { type: ['Commit patch_set type X is not supported.'] } } }
    ],
    [{ commits: [{ id: sha }, 'x'] }, { commits: { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] } }],
    [{ refs: [{ commit: sha }] }, { refs: { repository: ['This field is required.'] } }],
    [{ refs: [{ repository: 'acme/web' }] }, { refs: { commit: ['This field is required.'] } }],
    [{ refs: [{ repository: '', commit: sha }] }, { refs: { repository: ['This field may not be blank.'] } }],
    [{ refs: [{ repository: 'acme/web', commit: 'c'.repeat(65) }] }, { refs: { commit: ['Commit too long - max is 64 chars'] } }],
    [{ refs: [{ repository: 'acme/web', commit: `..${sha}` }] }, { refs: { commit: ['Commit cannot begin or end with ..'] } }],
    [
      { refs: [{ repository: 'acme/web', commit: `${'c'.repeat(65)}..${sha}` }] },
      { refs: { commit: ['Start or end commit too long - max is 64 chars each'] } }
    ],
    [{ refs: [{ repository: 'acme/web', commit: sha, previousCommit: 'p'.repeat(65) }] }, { refs: { previousCommit: [tooLong(64)] } }],
    [{ headCommits: [{ repository: 'acme/web' }] }, { headCommits: { currentId: ['This field is required.'] } }],
    [[], { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] }],
    [
      { ref: 'r'.repeat(201), url: 'bad' },
      { ref: [tooLong(200)], url: ['Enter a valid URL.'] }
    ]
  ])('%j -> 400 %j', async (body, errors) => {
    const res = await put(body)
    expect([res.status, res.body]).toEqual([400, errors])
    expect(em.release('acme', 'v1')).toMatchObject({ ref: 'old-ref', commitCount: 0 })
  })

  test('unknown fields are ignored; empty values never clear a field', async () => {
    const res = await put({ version: 'other', projects: ['nope'], ref: '', url: null, dateReleased: null })
    expect(res).toMatchObject({ status: 200, body: { version: 'v1', ref: 'old-ref', url: 'https://old.example.com', dateReleased: null } })
  })

  test('invalid JSON is a parse error', async () => {
    expect(await put('{')).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/^JSON parse error - /) } })
  })

  test('a 400 for an unknown repository comes after ref, url and commits were saved', async () => {
    const res = await put({
      ref: 'new',
      commits: [{ id: sha, repository: 'acme/web' }],
      refs: [
        { repository: 'b', commit: sha },
        { repository: 'a', commit: sha }
      ]
    })
    expect(res).toMatchObject({ status: 400, body: { refs: ['Invalid repository names: b,a'] } })
    expect(em.release('acme', 'v1')).toMatchObject({ ref: 'new', commitCount: 1 })
  })

  test('commits are replaced synchronously, newest first, #skipsentry dropped', async () => {
    const res = await put({
      commits: [
        { id: 'old', message: 'first', author_name: 'Ann', timestamp: '2024-01-01T00:00:00Z' },
        { id: 'skip', message: 'wip #skipsentry', timestamp: '2024-01-03T00:00:00Z' },
        { id: 'new', message: 'second', author_email: 'bob@example.com', timestamp: '2024-01-02T00:00:00Z' }
      ]
    })
    expect(res).toMatchObject({
      status: 200,
      body: {
        commitCount: 2,
        lastCommit: { id: 'new', message: 'second', author: { name: null, email: 'bob@example.com' } },
        authors: [
          { name: null, email: 'bob@example.com' },
          { name: 'Ann', email: 'Ann@localhost' }
        ]
      }
    })
    expect((await put({ commits: [{ id: 'only' }] })).body).toMatchObject({ commitCount: 1, lastCommit: { id: 'only' } })
  })

  test('commits then refs: [] clears them in the same request', async () => {
    expect((await put({ commits: [{ id: sha }], refs: [] })).body).toMatchObject({ commitCount: 0, lastCommit: null })
  })

  test('refs with commits set the commits and schedule no fetch', async () => {
    const res = await put({ commits: [{ id: 'c1', repository: 'acme/web' }], refs: [{ repository: 'acme/web', commit: sha }] })
    expect(res).toMatchObject({ status: 200, body: { commitCount: 1 } })
    expect(em.pendingFetches()).toBe(0)
  })

  test('commit lengths count code points: 64 emoji are a valid id, ref and range end', async () => {
    const id = '\u{1F680}'.repeat(64)
    const res = await put({ commits: [{ id }], refs: [{ repository: 'acme/web', commit: `${sha}..${id}`, previousCommit: id }] })
    expect(res).toMatchObject({ status: 200, body: { commitCount: 1, lastCommit: { id } } })
  })

  test('an a..b..c range crashes like Sentry (500)', async () => {
    expect((await put({ refs: [{ repository: 'acme/web', commit: 'a..b..c' }] })).status).toBe(500)
  })
})

// Release.url and Deploy.url are varchar(200): longer URLs pass the serializers and fail at the database (500).
describe('URLs longer than 200 code points', () => {
  /** A valid URL of exactly `length` code points; `unit` is one code point (an emoji is two UTF-16 units). */
  const urlOf = (length: number, unit = 'a') => `https://example.com/${unit.repeat(length - 'https://example.com/'.length)}`
  const internalError = { detail: 'Internal Error', errorId: expect.stringMatching(/^[0-9a-f]{32}$/) }
  const create = (body: object) => call(em.url, 'POST', '/api/0/organizations/acme/releases/', { projects: ['web'], ...body })

  describe('PUT', () => {
    test('200 code points are stored, emoji counting one each', async () => {
      expect(await call(em.url, 'PUT', releasePath('v1'), { url: urlOf(200) })).toMatchObject({ status: 200, body: { url: urlOf(200) } })
      const emoji = urlOf(200, '\u{1F680}')
      expect(await call(em.url, 'PUT', releasePath('v1'), { url: emoji })).toMatchObject({ status: 200, body: { url: emoji } })
    })

    test('201 fail the one UPDATE: 500 and none of ref, url, dateReleased saved, no commits set', async () => {
      const res = await call(em.url, 'PUT', releasePath('v1'), {
        ref: 'new-ref',
        url: urlOf(201),
        dateReleased: '2024-05-01T00:00:00Z',
        commits: [{ id: 'c1' }]
      })
      expect(res).toMatchObject({ status: 500, body: internalError })
      expect(em.release('acme', 'v1')).toMatchObject({ ref: 'old-ref', url: 'https://old.example.com', dateReleased: null, commitCount: 0 })
    })
  })

  describe('create', () => {
    test('a new release with a URL over 200: 500 and no release', async () => {
      expect(await create({ version: 'v2', url: urlOf(201) })).toMatchObject({ status: 500, body: internalError })
      expect(em.release('acme', 'v2')).toBeUndefined()
    })

    test('an existing release: get_or_create ignores the URL, so no error (208) and nothing changes', async () => {
      expect(await create({ version: 'v1', url: urlOf(201) })).toMatchObject({ status: 208, body: { url: 'https://old.example.com' } })
    })
  })

  describe('deploys', () => {
    test('a deploy URL over 200: 500, no deploy recorded; 200 is fine', async () => {
      const deploys = `${releasePath('v1')}deploys/`
      expect(await call(em.url, 'POST', deploys, { environment: 'prod', url: urlOf(201) })).toMatchObject({
        status: 500,
        body: internalError
      })
      expect(em.release('acme', 'v1')).toMatchObject({ deployCount: 0, lastDeploy: null })
      expect(await call(em.url, 'POST', deploys, { environment: 'prod', url: urlOf(200) })).toMatchObject({
        status: 201,
        body: { url: urlOf(200) }
      })
    })

    test('the project check comes first: a wrong project is a 400 even with a long URL', async () => {
      const res = await call(em.url, 'POST', `${releasePath('v1')}deploys/`, { environment: 'prod', url: urlOf(201), projects: ['api'] })
      expect(res).toMatchObject({ status: 400, body: { detail: { code: 'parameter-validation-error' } } })
    })
  })
})
