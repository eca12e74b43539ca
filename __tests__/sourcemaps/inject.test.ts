import { describe, expect, test } from '@jest/globals'
import { debugIdFromBytes } from '../../src/core/sourcemaps/debug-id.js'
import { debugIdSnippet, directivePrologue, injectScript } from '../../src/core/sourcemaps/inject.js'
import { lastMagicComment, sourceMappingUrl } from '../../src/core/sourcemaps/script-comments.js'

const ID = 'aaaaaaaa-bbbb-5ccc-8ddd-eeeeeeeeeeee'
const mapOf = (json: Record<string, unknown>) => ({ json, bytes: Buffer.from(JSON.stringify(json)) })
const map = mapOf({ version: 3, sources: ['a.ts'], names: [], mappings: 'AAAA;AACA' })

describe('injectScript', () => {
  test('with a map: the snippet is the first line, the comment the last, the map one line down with both ID keys', () => {
    const result = injectScript('a();\nb();\n//# sourceMappingURL=a.js.map\n', map)
    const id = result.debugId
    expect(result.change).toBe('injected-at-start')
    expect(result.script).toBe(`${debugIdSnippet(id)}\na();\nb();\n//# sourceMappingURL=a.js.map\n//# debugId=${id}\n`)
    expect(result.map).toEqual({ version: 3, sources: ['a.ts'], names: [], mappings: ';AAAA;AACA', debugId: id, debug_id: id })
  })

  test('a hashbang stays first: the empty line goes after the first line group', () => {
    const result = injectScript('#!/usr/bin/env node\na();\n', map)
    expect(result.script?.split('\n').slice(0, 3)).toEqual(['#!/usr/bin/env node', debugIdSnippet(result.debugId), 'a();'])
    expect(result.map?.mappings).toBe('AAAA;;AACA')
    // A one-line map ends before the inserted line: the line is added empty.
    expect(injectScript('#!/bin/node\na();', mapOf({ version: 3, sources: [], names: [], mappings: 'AAAA' })).map?.mappings).toBe('AAAA;')
  })

  test('a byte order mark stays first, then the snippet', () => {
    const result = injectScript('\uFEFF"use strict";a();\n', map)
    expect(result.script?.startsWith(`\uFEFF"use strict";${debugIdSnippet(result.debugId)}\n"use strict";a();\n`)).toBe(true)
    expect(result.map?.mappings).toBe(';AAAA;AACA')
  })

  test('without a map the snippet goes at the end, after a newline the script may lack', () => {
    const result = injectScript('a()')
    const script = `a()\n${debugIdSnippet(result.debugId)}\n//# debugId=${result.debugId}\n`
    expect(result).toEqual({ debugId: debugIdFromBytes(Buffer.from('a()')), change: 'injected-at-end', script })
  })

  test("the map's own debug ID is adopted (debug_id before debugId, as symbolic reads it)", () => {
    expect(injectScript('a();\n', mapOf({ version: 3, mappings: '', debugId: ID.toUpperCase() })).debugId).toBe(ID)
    const both = mapOf({ version: 3, mappings: '', debugId: ID, debug_id: 'ffffffff-bbbb-5ccc-8ddd-eeeeeeeeeeee' })
    expect(injectScript('a();\n', both).debugId).toBe('ffffffff-bbbb-5ccc-8ddd-eeeeeeeeeeee')
  })

  test('a derived ID hashes script and map together: identical maps of different scripts differ (sentry-cli #3350)', () => {
    const first = injectScript('a();\n', map).debugId
    const second = injectScript('b();\n', map).debugId
    expect(first).not.toBe(second)
    expect(injectScript('a();\n', map).debugId).toBe(first)
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  test('a script with a debugId comment is kept; a map without an ID gets it unshifted, a different one is reported', () => {
    const script = `${debugIdSnippet(ID)}\na();\n//# debugId=${ID}\n`
    expect(injectScript(script)).toEqual({ debugId: ID, change: 'kept', script: undefined })
    expect(injectScript(script, map).map).toEqual({ ...map.json, debugId: ID, debug_id: ID })
    const other = injectScript(script, mapOf({ ...map.json, debugId: 'ffffffff-bbbb-5ccc-8ddd-eeeeeeeeeeee' }))
    expect(other.map).toBeUndefined()
    expect(other.note).toMatch(/its map has debug ID ffffffff-.* not aaaaaaaa-/)
  })

  test('a snippet without the comment (a minifier dropped it) is adopted and only the comment is added', () => {
    const script = `a();${debugIdSnippet(ID)}`
    expect(injectScript(script)).toEqual({ debugId: ID, change: 'commented', script: `${script}\n//# debugId=${ID}\n` })
  })

  test('idempotent: injecting the output again changes nothing', () => {
    for (const script of ['#!/usr/bin/env node\n"use strict";\na();\n', '"use client"\nexport const a = 1', 'x()']) {
      const once = injectScript(script, map)
      const twice = injectScript(once.script ?? script, once.map && mapOf(once.map))
      expect({ script, change: twice.change, text: twice.script, map: twice.map }).toEqual({
        script,
        change: 'kept',
        text: undefined,
        map: undefined
      })
    }
  })

  test('an index map moves its sections down; below a hashbang it cannot, and the snippet goes to the end', () => {
    const sections = [
      { offset: { line: 0, column: 0 }, map: map.json },
      { offset: { line: 3, column: 0 }, map: map.json }
    ]
    const index = mapOf({ version: 3, sections })
    const result = injectScript('a();\n', index)
    const offsets = (result.map?.sections as Array<{ offset: unknown }>).map(section => section.offset)
    expect(offsets).toEqual([
      { line: 1, column: 0 },
      { line: 4, column: 0 }
    ])
    const hashbang = injectScript('#!/bin/node\na();\n', index)
    expect(hashbang.change).toBe('injected-at-end')
    expect(hashbang.map?.sections).toEqual(index.json.sections)
  })
})

describe('directivePrologue', () => {
  test.each([
    ['"use strict";a()', '"use strict";'],
    ["'use client'\nimport x from 'y'", "'use client';"],
    ['/*! license */\n// note\n"use strict";"use client";a', '"use strict";"use client";'],
    ['"use strict"\n"another"\nfoo()', '"use strict";"another";'],
    ['"use strict"', '"use strict";'],
    ['"not a directive".length', ''],
    ['"use strict"\n+ 1', ''],
    ['"a" + "b"', ''],
    ['a(); "use strict";', ''],
    ['"esc\\"aped";x', '"esc\\"aped";'],
    ['', '']
  ])('%j -> %j', (script, prologue) => {
    expect(directivePrologue(script)).toBe(prologue)
  })
})

describe('magic comments (symbolic MagicCommentFinder)', () => {
  test('the last //# comment wins; //@ counts for sourceMappingURL only; query and fragment are dropped', () => {
    expect(lastMagicComment('//# debugId=a\n//# debugId=b\n', 'debugId')?.value).toBe('b')
    expect(lastMagicComment('//@ debugId=a', 'debugId')).toBeUndefined()
    expect(sourceMappingUrl('x\n//@ sourceMappingURL=a.js.map?v=1#x')?.value).toBe('a.js.map')
    expect(sourceMappingUrl('"//# sourceMappingURL=" + x\n//# sourceMappingURL=real.map\n')?.value).toBe('real.map')
    expect(lastMagicComment('//#debugId=a', 'debugId')).toBeUndefined()
  })
})
