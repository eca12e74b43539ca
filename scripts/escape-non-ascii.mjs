// `npm run build`, after ncc: rewrites dist/index.js with every non-ASCII character as an escape, so the file is pure
// ASCII. V8 keeps a script's source for as long as it runs, in one byte per character when every character is ASCII
// and in two otherwise: the bundle's 1.5 MB of source (about 830 characters beyond ASCII, mostly ’ in undici's
// comments) cost 3 MiB of memory instead of 1.5 (docs/performance.md, "Memory").
//
// Each character is escaped by what it stands in, found with TypeScript's parser, where the escape means the same:
// - a string, an untagged template or a regular expression: \uXXXX (a \ before the character, an identity escape
//   there, is folded into the new escape); the value is unchanged;
// - an identifier: \uXXXX, or \u{...} beyond the first 65,536 code points; the same name;
// - a comment: \uXXXX as text, which nothing reads.
// Anywhere else (whitespace between tokens, a line or paragraph separator, which ends a line, a tagged template, whose
// raw text String.raw and other tags read, or a file TypeScript cannot parse), the build stops, naming the line.
// Function.prototype.toString and RegExp.prototype.source of the code concerned show the escape.
import { readFileSync, writeFileSync } from 'node:fs'
import ts from 'typescript'

const file = process.argv[2]
if (!file) throw new Error('usage: node scripts/escape-non-ascii.mjs <bundle.js>')
const source = readFileSync(file, 'utf8')
const NON_ASCII = /[^\x00-\x7f]/gu
const LINE_SEPARATORS = /[\u2028\u2029]/

const hex = code => code.toString(16).padStart(4, '0')
/** \uXXXX for each UTF-16 unit: what strings, templates and regular expressions (with or without the u flag) read as the character. */
const unitEscapes = char => [...Array(char.length).keys()].map(i => `\\u${hex(char.charCodeAt(i))}`).join('')
/** The escape an identifier accepts: \uXXXX, or \u{...} for a character beyond U+FFFF (surrogate escapes are refused there). */
const identifierEscape = char => (char.length === 1 ? `\\u${hex(char.charCodeAt(0))}` : `\\u{${char.codePointAt(0).toString(16)}}`)

const sourceFile = ts.createSourceFile(
  file,
  source,
  {
    languageVersion: ts.ScriptTarget.Latest,
    jsDocParsingMode: ts.JSDocParsingMode.ParseNone
  },
  true,
  ts.ScriptKind.JS
)
const where = position => `${file}:${sourceFile.getLineAndCharacterOfPosition(position).line + 1}`
const problems = sourceFile.parseDiagnostics.map(d => `${where(d.start ?? 0)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)

const LITERALS = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral
])
const TEMPLATE_PARTS = new Set(
  [...LITERALS].filter(kind => kind !== ts.SyntaxKind.StringLiteral && kind !== ts.SyntaxKind.RegularExpressionLiteral)
)
const COMMENTS = new Set([ts.SyntaxKind.SingleLineCommentTrivia, ts.SyntaxKind.MultiLineCommentTrivia])

/** Whether the template this part belongs to has a tag (whose raw text an escape would change). */
function isTagged(part) {
  let template = part
  while (!ts.isNoSubstitutionTemplateLiteral(template) && !ts.isTemplateExpression(template)) template = template.parent
  return ts.isTaggedTemplateExpression(template.parent)
}

/** What stands at `position`: the innermost token that holds it, or the kind of trivia (comment, whitespace) before one. */
function standsIn(position) {
  let node = sourceFile
  for (;;) {
    const child = node.getChildren(sourceFile).find(c => c.pos <= position && position < c.end)
    if (!child) return { kind: 'unknown' }
    if (position < child.getStart(sourceFile)) {
      const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source, undefined, child.pos)
      while (scanner.getTokenEnd() <= position) scanner.scan()
      return { kind: COMMENTS.has(scanner.getToken()) ? 'comment' : 'between tokens' }
    }
    if (child.getChildCount(sourceFile) === 0) {
      if (ts.isIdentifier(child) || ts.isPrivateIdentifier(child)) return { kind: 'identifier' }
      if (!LITERALS.has(child.kind)) return { kind: 'unknown' }
      return { kind: TEMPLATE_PARTS.has(child.kind) && isTagged(child) ? 'tagged template' : 'literal' }
    }
    node = child
  }
}

let escaped = ''
let copied = 0
for (const match of problems.length > 0 ? [] : source.matchAll(NON_ASCII)) {
  const [char] = match
  const at = match.index
  const { kind } = standsIn(at)
  if (LINE_SEPARATORS.test(char) || !['literal', 'identifier', 'comment'].includes(kind)) {
    problems.push(`${where(at)}: U+${hex(char.codePointAt(0)).toUpperCase()} in ${LINE_SEPARATORS.test(char) ? 'a line break' : kind}`)
    continue
  }
  // An odd run of backslashes before the character escapes it (an identity escape): the last of them goes.
  const slashes = kind === 'literal' ? /\\*$/.exec(source.slice(Math.max(copied, at - 64), at))[0].length : 0
  escaped += source.slice(copied, at - (slashes % 2)) + (kind === 'identifier' ? identifierEscape(char) : unitEscapes(char))
  copied = at + char.length
}
if (problems.length > 0) {
  throw new Error(`${file}: cannot escape every non-ASCII character without changing what the code does:\n${problems.join('\n')}`)
}
if (copied > 0) writeFileSync(file, escaped + source.slice(copied))
