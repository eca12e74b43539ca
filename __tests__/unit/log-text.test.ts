import { describe, expect, test } from '@jest/globals'
import { commandFree, inert } from '../../src/core/log-text.js'

/**
 * The lines of a text the runner would take as workflow commands (actions/runner, ActionCommand): a line starting with
 * '::' after leading spaces, or holding '##[' anywhere; lines end at LF, CR or CRLF.
 */
function commandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter(line => line.trimStart().startsWith('::') || line.includes('##['))
}

describe('inert: an outside value cannot become a workflow command', () => {
  test.each([
    ['v1.2.0', 'v1.2.0'],
    ['v1\n::warning::owned', 'v1\\u000a:\u2060:warning:\u2060:owned'],
    ['::add-mask::x', ':\u2060:add-mask:\u2060:x'],
    [':::warning::x', ':\u2060:\u2060:warning:\u2060:x'],
    ['x ##[set-output name=json;]owned', 'x #\u2060#[set-output name=json;]owned'],
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

describe('commandFree: no line of a text the action writes is read as a command', () => {
  test('a leading :: (after spaces) and any ##[ are broken; every other line and character stays as it was', () => {
    const text = [
      'Release v1: commits after abc',
      '::warning::owned',
      '   ::add-mask::x',
      '  "environment": "##[add-mask]x"',
      'GET http://[::1]:9000/api/0/',
      'cr\r::set-output name=a::b',
      'crlf\r\n::stop-commands::t'
    ].join('\n')
    const free = commandFree(text)
    expect(commandLines(text)).toHaveLength(5)
    expect(commandLines(free)).toEqual([])
    // Only invisible joiners were added: the text reads the same, and its line ends are untouched.
    expect(free.replace(/\u2060/g, '')).toBe(text)
    expect(free.split('\n')[4]).toBe('GET http://[::1]:9000/api/0/')
  })
})
