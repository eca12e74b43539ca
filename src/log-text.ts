// Values from outside (a payload's tag or environment, a server's id or message, an input) reach log lines that the
// runner reads for workflow commands: a line starting with two colons is one (warning, error, set-output, the secret mask,
// stop-commands). core.info writes text as it is, so every outside value in a log line goes through inert().

// C0 and C1 control characters and the line and paragraph separators: each could start a new line or hide text.
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g

/**
 * An outside value as a log line may show it: on one line (control characters as \u escapes), at most `max`
 * characters, and with no two colons in a row left that could make it a workflow command wherever it lands.
 */
export function inert(value: unknown, max = 200): string {
  const text = String(value)
  const cut = text.length > max ? `${text.slice(0, max)}…` : text
  return cut
    .replace(CONTROL, character => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/::/g, ':\u2060:')
}
