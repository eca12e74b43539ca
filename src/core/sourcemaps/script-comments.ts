// The magic comments of a built script, found as Sentry's symbolic (symbolic-debuginfo js.rs MagicCommentFinder)
// finds them: the last `//# name=` (or `//@ name=` for sourceMappingURL), its value up to the next whitespace.

/** A magic comment's value and where it is in the text. */
export interface MagicComment {
  value: string
  start: number
  end: number
}

/** The last `//# <name>=` comment (also `//@ ` when allowAt), or undefined. */
export function lastMagicComment(text: string, name: string, allowAt = false): MagicComment | undefined {
  const needle = `${name}=`
  for (let at = text.lastIndexOf(needle); at >= 4; at = text.lastIndexOf(needle, at - 1)) {
    const prefix = text.slice(at - 4, at)
    if (prefix !== '//# ' && !(allowAt && prefix === '//@ ')) continue
    let start = at + needle.length
    while (start < text.length && /[ \t\r\n\f\v]/.test(text[start])) start++
    let end = start
    while (end < text.length && !/[ \t\r\n\f\v]/.test(text[end])) end++
    return { value: text.slice(start, end), start, end }
  }
  return undefined
}

/** The script's sourceMappingURL without query or fragment, as symbolic's discover_sourcemaps_location reads it. */
export function sourceMappingUrl(text: string): MagicComment | undefined {
  const comment = lastMagicComment(text, 'sourceMappingURL', true)
  if (!comment) return undefined
  if (comment.value.startsWith('data:')) return comment
  return { ...comment, value: comment.value.split('?')[0].split('#')[0] }
}
