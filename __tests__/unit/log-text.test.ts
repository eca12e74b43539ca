import { describe, expect, test } from '@jest/globals'
import { inert } from '../../src/log-text.js'

describe('inert: an outside value cannot become a workflow command', () => {
  test.each([
    ['v1.2.0', 'v1.2.0'],
    ['v1\n::warning::owned', 'v1\\u000a:\u2060:warning:\u2060:owned'],
    ['::add-mask::x', ':\u2060:add-mask:\u2060:x'],
    ['a\r\nb\u2028c\u0000d\u009be', 'a\\u000d\\u000ab\\u2028c\\u0000d\\u009be'],
    [42, '42']
  ])('%j -> %j', (value, shown) => expect(inert(value)).toBe(shown))

  test('no line of the result starts a command, and long values are cut', () => {
    const hostile = `${'::stop-commands::token\n'.repeat(50)}`
    const shown = inert(hostile)
    expect(shown.split('\n')).toHaveLength(1)
    expect(shown).not.toContain('::')
    expect(inert('x'.repeat(1000)).length).toBe(201)
  })
})
