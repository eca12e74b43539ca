import { describe, expect, test } from '@jest/globals'
import { errorMessage } from '../../src/core/errors.js'

describe('errorMessage: the one line a failed run shows', () => {
  test('the first line only, where the runner ends lines: LF, CR or CRLF', () => {
    expect(errorMessage(new Error('first\nsecond'))).toBe('first')
    expect(errorMessage(new Error('first\r::warning::second'))).toBe('first')
    expect(errorMessage('plain\r\nstring')).toBe('plain')
  })

  test('a message quoting a huge value is cut to 1000 characters', () => {
    const shown = errorMessage(new Error(`Tag "${'v.'.repeat(500_000)}" cannot name a Sentry release`))
    expect(shown).toHaveLength(1001)
    expect(shown.endsWith('…')).toBe(true)
  })

  test('a token is replaced before the cut, so no piece of one is left at the end', () => {
    const token = `sntryu_${'a1'.repeat(32)}`
    const shown = errorMessage(new Error(`${'x'.repeat(990)} ${token}`))
    expect(shown).not.toContain('a1a1')
    expect(shown).toContain('[a token-like value, not shown]')
  })
})
