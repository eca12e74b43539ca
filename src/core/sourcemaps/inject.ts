// Debug-ID injection into one script and its map, pure over their text. The snippet is sentry-cli's
// (src/utils/sourcemaps/inject.rs CODE_SNIPPET_TEMPLATE, 3.x); where it goes follows sentry-cli's inject_at_start:
// a new first line (after a hashbang), repeating the directive prologue so it stays first, so the map only gains
// one empty line. Without a map the snippet goes at the end, where it moves no mapped position.
import { debugIdFromBytes, normalizeDebugId } from './debug-id.js'
import { lastMagicComment } from './script-comments.js'
import { insertLine, mapDebugId, type SourceMapJson, withDebugId } from './source-map.js'

/** The snippet sentry-cli inserts; the SDK reads globalThis._sentryDebugIds (keyed by a stack naming the file). */
export function debugIdSnippet(debugId: string): string {
  return (
    '!function(){try{var e="undefined"!=typeof window?window:"undefined"!=typeof global?global:"undefined"!=typeof globalThis?' +
    'globalThis:"undefined"!=typeof self?self:{},n=(new e.Error).stack;n&&(e._sentryDebugIds=e._sentryDebugIds||{},' +
    `e._sentryDebugIds[n]="${debugId}")}catch(e){}}();`
  )
}

// A snippet from sentry-cli or Sentry's bundler plugins (they also write the comment, but a minifier may drop it).
const SNIPPET_ID = /_sentryDebugIds\[[A-Za-z_$][\w$]*\]="([0-9a-fA-F-]{36})"/

/** What injection did to a script. */
export type ScriptChange =
  /** Already carried a `//# debugId=` comment (ours, sentry-cli's, a bundler plugin's): left alone. */
  | 'kept'
  /** Carried the snippet but no comment: the comment was appended. */
  | 'commented'
  /** Snippet as a new first line, map shifted by one line. */
  | 'injected-at-start'
  /** Snippet at the end (no map, or a map whose lines cannot be shifted). */
  | 'injected-at-end'

export interface InjectedScript {
  debugId: string
  change: ScriptChange
  /** The new text; undefined when kept. */
  script?: string
  /** The new map when it changed; undefined when there is none or it is unchanged. */
  map?: SourceMapJson
  /** A problem worth a line in the log. */
  note?: string
}

/**
 * Injects a debug ID into a script and its map (parsed), or adopts the one it has: the `//# debugId=` comment, else a
 * snippet's, else the map's `debug_id`/`debugId`; a new one is derived from the script's and map's bytes together.
 * Running it again on its output changes nothing.
 */
export function injectScript(
  script: string,
  map?: { json: SourceMapJson; bytes: Uint8Array },
  scriptBytes: Uint8Array = Buffer.from(script)
): InjectedScript {
  const comment = lastMagicComment(script, 'debugId')
  const commented = normalizeDebugId(comment?.value)
  const mapId = map && mapDebugId(map.json)
  if (commented) return adoptWithoutSnippet(commented, 'kept', undefined, map?.json, mapId)
  const snippetId = normalizeDebugId(SNIPPET_ID.exec(script)?.[1])
  if (snippetId) return adoptWithoutSnippet(snippetId, 'commented', `${withNewline(script)}${debugIdComment(snippetId)}`, map?.json, mapId)

  const debugId = mapId ?? debugIdFromBytes(...(map ? [scriptBytes, map.bytes] : [scriptBytes]))
  if (!map) return { debugId, change: 'injected-at-end', script: atEnd(script, debugId) }
  const { head, rest, insertedLine } = splitHead(script)
  const shifted = insertLine(map.json, insertedLine)
  if (!shifted) {
    return {
      debugId,
      change: 'injected-at-end',
      script: atEnd(script, debugId),
      map: withDebugId(map.json, debugId),
      note: 'its index map cannot be shifted below the hashbang, so the snippet went to the end'
    }
  }
  const injected = `${head}${directivePrologue(rest)}${debugIdSnippet(debugId)}\n${withNewline(rest)}${debugIdComment(debugId)}`
  return { debugId, change: 'injected-at-start', script: injected, map: withDebugId(shifted, debugId) }
}

/** A script that has its ID: only a map without one gets it (unshifted: the snippet was there when the map was made). */
function adoptWithoutSnippet(
  debugId: string,
  change: 'kept' | 'commented',
  script: string | undefined,
  map: SourceMapJson | undefined,
  mapId: string | undefined
): InjectedScript {
  if (!map || mapId === debugId) return { debugId, change, script }
  if (mapId) return { debugId, change, script, note: `its map has debug ID ${mapId}, not ${debugId}: Sentry cannot pair them` }
  return { debugId, change, script, map: withDebugId(map, debugId) }
}

function atEnd(script: string, debugId: string): string {
  return `${withNewline(script)}${debugIdSnippet(debugId)}\n${debugIdComment(debugId)}`
}

function debugIdComment(debugId: string): string {
  return `//# debugId=${debugId}\n`
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`
}

/** A byte order mark and a hashbang line stay first; the snippet line goes right after them. */
function splitHead(script: string): { head: string; rest: string; insertedLine: number } {
  const bom = script.startsWith('\uFEFF') ? '\uFEFF' : ''
  const body = script.slice(bom.length)
  if (!body.startsWith('#!')) return { head: bom, rest: body, insertedLine: 0 }
  const newline = body.indexOf('\n')
  if (newline < 0) return { head: `${bom}${body}\n`, rest: '', insertedLine: 1 }
  return { head: bom + body.slice(0, newline + 1), rest: body.slice(newline + 1), insertedLine: 1 }
}

const STRING_LITERAL = /^(?:"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')/
const SPACE_OR_COMMENT = /^(?:\s+|\/\*[\s\S]*?\*\/|\/\/[^\n\r]*)/
// After a string literal and a line break, these continue the expression: the literal was no directive.
const CONTINUES_EXPRESSION = /^[.[(+\-*/%,?:=<>&|^`]/

/**
 * The script's directive prologue (`"use strict";"use client";`), each directive ending in ';': repeated before the
 * snippet, it stays the first statement, so strict mode and React's "use client" / "use server" still apply.
 */
export function directivePrologue(script: string): string {
  let rest = script
  let prologue = ''
  for (;;) {
    rest = skipSpaceAndComments(rest)
    const literal = STRING_LITERAL.exec(rest)?.[0]
    if (!literal) return prologue
    const after = rest.slice(literal.length)
    const following = skipSpaceAndComments(after)
    if (/^[ \t]*;/.test(after)) {
      rest = after.slice(after.indexOf(';') + 1)
    } else if (following === '' || following.startsWith('}')) {
      rest = following
    } else if (/[\n\r]/.test(after.slice(0, after.length - following.length)) && !CONTINUES_EXPRESSION.test(following)) {
      // Automatic semicolon insertion ends the directive at the line break: the next token cannot continue it.
      rest = following
    } else {
      return prologue
    }
    prologue += `${literal};`
  }
}

function skipSpaceAndComments(text: string): string {
  let rest = text
  for (let match = SPACE_OR_COMMENT.exec(rest); match; match = SPACE_OR_COMMENT.exec(rest)) rest = rest.slice(match[0].length)
  return rest
}
