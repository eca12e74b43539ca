// Release.url and Deploy.url are varchar(200): longer URLs pass the serializers and fail at the database (500).
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
