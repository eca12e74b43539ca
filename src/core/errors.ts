/** A problem the user fixes by changing one input: the message names the input and the rule. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    rule: string
  ) {
    super(`Input '${input}': ${rule}`)
    this.name = 'InputError'
  }
}

// Sentry's token forms: sntrys_ (org), sntryu_ (user), sntrya_… and the older 64 hex digits; or any long unbroken run
// of base64url or hex characters, which is what a pasted secret looks like (a 40-digit commit SHA is shorter; a path's
// '/' breaks the run).
const TOKEN_LIKE = /sntry[a-z]_[A-Za-z0-9+/=_-]*|\b[0-9a-f]{64}\b|[A-Za-z0-9_-]{48,}/gi

/** Whether a value could be a secret (a token pasted into the wrong input): it is then never quoted in a message. */
export function looksLikeToken(value: string): boolean {
  return new RegExp(TOKEN_LIKE.source, 'i').test(value)
}

/** The text with anything that looks like a token replaced, so no error line can carry one. */
export function withoutTokens(text: string): string {
  return text.replace(TOKEN_LIKE, '[a token-like value, not shown]')
}

/** The most of an error that is shown: a message quoting a huge value (a payload's tag name) stays readable. */
const MAX_ERROR_CHARS = 1000

/**
 * One line for the log: the message only (its first line, ended as the runner's reader ends lines: LF, CR), at most
 * MAX_ERROR_CHARS characters, never a stack trace, never anything that looks like a token.
 */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  // Tokens out before the cut: a cut could leave a piece of one too short to be recognised.
  const line = withoutTokens(text.split(/\r\n|\r|\n/)[0])
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS)}…` : line
}
