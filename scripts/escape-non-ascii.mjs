// `npm run build`, after ncc: rewrites dist/index.js with every non-ASCII character as a \uXXXX escape, so the file is
// pure ASCII. V8 keeps a script's source for as long as it runs, in one byte per character when every character is
// ASCII and in two otherwise: the bundle's 1.5 MB of source (about 830 characters beyond ASCII, mostly ’ in undici's
// comments) cost 3 MiB of memory instead of 1.5 (docs/performance.md, "Memory").
//
// The escape means the same wherever the character stands: in a string, a regular expression or a template's value
// (a \ before the character, an identity escape there, is folded into the new escape), in an identifier, and in a
// comment, where nothing reads it. Only a template's raw text differs (String.raw`…` and other tagged templates read
// it), so a non-ASCII character there stops the build instead; none is there today.
import { readFileSync, writeFileSync } from 'node:fs'
import ts from 'typescript'

const file = process.argv[2]
if (!file) throw new Error('usage: node scripts/escape-non-ascii.mjs <bundle.js>')
const source = readFileSync(file, 'utf8')
const NON_ASCII = /[^\x00-\x7f]/

/** Tagged templates whose text holds a non-ASCII character, as `line: text` for the error. */
function nonAsciiInTaggedTemplates(text) {
  const found = []
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
  const visit = node => {
    if (ts.isTaggedTemplateExpression(node) && NON_ASCII.test(node.template.getText(sourceFile))) {
      const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile))
      found.push(`${line + 1}: ${node.getText(sourceFile).slice(0, 80)}`)
    }
    ts.forEachChild(node, visit)
  }
  visit(sourceFile)
  return found
}

if (NON_ASCII.test(source)) {
  const tagged = nonAsciiInTaggedTemplates(source)
  if (tagged.length > 0) {
    throw new Error(`${file}: non-ASCII characters in tagged templates, whose raw text an escape would change:\n${tagged.join('\n')}`)
  }
  // An odd run of backslashes before the character escapes it; the last of them goes, the rest stay as they are.
  const escaped = source.replace(/(\\*)([^\x00-\x7f])/g, (_, slashes, char) => {
    const kept = slashes.length % 2 === 1 ? slashes.slice(1) : slashes
    return kept + `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
  writeFileSync(file, escaped)
}
