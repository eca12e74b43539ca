// Globs for the `sourcemaps` and `ignore` inputs, matched against '/'-separated paths: `*` and `?` stay within a
// segment, `**` spans segments, `[abc]`/`[!a-z]` are classes, `{a,b}` alternatives. Dotfiles match like any file.

const GLOB_CHARACTERS = /[*?[{]/

/** True when the entry is a glob rather than a plain file or directory path. */
export function isGlob(entry: string): boolean {
  return GLOB_CHARACTERS.test(entry)
}

/** The leading segments without glob characters: where to start walking for the glob ('' for the base itself). */
export function globBase(glob: string): string {
  const segments = glob.split('/')
  const firstGlob = segments.findIndex(isGlob)
  return segments.slice(0, firstGlob < 0 ? segments.length : firstGlob).join('/')
}

/** A RegExp matching a whole '/'-separated path against the glob. */
export function globRegExp(glob: string): RegExp {
  return new RegExp(`^${translate(glob)}$`)
}

function translate(glob: string): string {
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const character = glob[i]
    if (character === '*' && glob[i + 1] === '*') {
      const wholeSegment = (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/')
      if (wholeSegment) {
        // `**/` matches zero or more directories; a trailing `**` matches everything below.
        out += i + 2 === glob.length ? '.*' : '(?:[^/]*/)*'
        i += 2
        continue
      }
      out += '[^/]*'
      i++
    } else if (character === '*') {
      out += '[^/]*'
    } else if (character === '?') {
      out += '[^/]'
    } else if (character === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end < 0) {
        out += '\\['
        continue
      }
      const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\')
      out += body.startsWith('!') ? `[^/${body.slice(1)}]` : `[${body}]`
      i = end
    } else if (character === '{') {
      const end = glob.indexOf('}', i)
      if (end < 0) {
        out += '\\{'
        continue
      }
      out += `(?:${glob
        .slice(i + 1, end)
        .split(',')
        .map(translate)
        .join('|')})`
      i = end
    } else {
      out += character.replace(/[.+^$()|\\\]}]/g, '\\$&')
    }
  }
  return out
}

/**
 * The `ignore` rule, as sentry-cli's --ignore: a glob without '/' matches a file or directory name at any depth
 * (`node_modules`, `*.test.js`); one with '/' matches the path relative to the base directory.
 */
export function ignoreMatcher(globs: string[]): (relativePath: string) => boolean {
  const byName = globs.filter(glob => !glob.replace(/\/+$/, '').includes('/')).map(glob => globRegExp(glob.replace(/\/+$/, '')))
  const byPath = globs
    .filter(glob => glob.replace(/\/+$/, '').includes('/'))
    .map(glob => globRegExp(glob.replace(/^\.\//, '').replace(/\/+$/, '')))
  return relativePath => {
    const name = relativePath.slice(relativePath.lastIndexOf('/') + 1)
    return byName.some(pattern => pattern.test(name)) || byPath.some(pattern => pattern.test(relativePath))
  }
}
