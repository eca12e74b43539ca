import { describe, expect, test } from '@jest/globals'
import { orgTokenSecret, readOrgToken } from '../../src/core/org-token.js'

const encode = (claims: unknown): string => Buffer.from(JSON.stringify(claims)).toString('base64')

describe('readOrgToken', () => {
  test('reads org and url from an org token whose secret contains underscores', () => {
    const token = `sntrys_${encode({ iat: 1, url: 'https://sentry.example.com', region_url: 'https://us.example.com', org: 'acme' })}_se_cr_et`
    expect(readOrgToken(token)).toEqual({ org: 'acme', url: 'https://sentry.example.com' })
  })

  test.each([
    ['a user token', 'sntryu_0123456789abcdef'],
    ['a token with broken base64 JSON', 'sntrys_bm90IGpzb24=_secret'],
    ['a token whose payload is not an object', `sntrys_${encode(42)}_secret`]
  ])('returns {} for %s', (_, token) => expect(readOrgToken(token)).toEqual({}))

  test('ignores empty and non-string claims', () => {
    expect(readOrgToken(`sntrys_${encode({ org: '', url: 7 })}_secret`)).toEqual({ org: undefined, url: undefined })
  })
})

describe('orgTokenSecret', () => {
  test('is everything after the payload, underscores included; undefined for other tokens', () => {
    expect(orgTokenSecret(`sntrys_${encode({ org: 'acme' })}_se_cr_et`)).toBe('se_cr_et')
    expect(orgTokenSecret(`sntrys_${encode({ org: 'acme' })}`)).toBeUndefined()
    expect(orgTokenSecret(`sntrys_${encode({ org: 'acme' })}_`)).toBeUndefined()
    expect(orgTokenSecret('sntryu_0123456789abcdef')).toBeUndefined()
  })
})
