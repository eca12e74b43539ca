import { characters } from './url.js'
/** Sentry's MAX_VERSION_LENGTH (docs/sentry-api.md section 2). */
const MAX_VERSION_LENGTH = 200

// Sentry's BAD_RELEASE_CHARS, with words for the log.
const FORBIDDEN_CHARACTERS: ReadonlyArray<[string, string]> = [
  ['\r', 'a carriage return'],
  ['\n', 'a newline'],
  ['\f', 'a form feed'],
  ['\t', 'a tab'],
  ['/', "'/'"],
  ['\\', "'\\'"]
]
const RESERVED_NAMES = ['', '.', '..', 'latest']

/** Why Sentry would reject this release name (Release.is_valid_version), or undefined when it is accepted. */
export function versionProblem(version: string): string | undefined {
  const forbidden = FORBIDDEN_CHARACTERS.find(([character]) => version.includes(character))
  if (forbidden) return `Sentry forbids ${forbidden[1]} in a release name`
  // Not in BAD_RELEASE_CHARS, but Sentry's database cannot store a NUL, and no control character belongs in a name.
  if (/[\x00-\x1f\x7f-\x9f]/.test(version)) return 'a release name cannot hold control characters'
  const stripped = version.trim()
  if (RESERVED_NAMES.includes(stripped.toLowerCase())) {
    return stripped ? `Sentry reserves the release name '${stripped}'` : 'the release name is empty'
  }
  const length = characters(version)
  if (length > MAX_VERSION_LENGTH) {
    return `the release name has ${length} characters; Sentry allows at most ${MAX_VERSION_LENGTH}`
  }
  return undefined
}
