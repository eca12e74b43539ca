// Values from outside (a payload's tag or environment, a server's id or message, git's output) reach log lines that the
// runner reads for workflow commands. The runner (actions/runner, ActionCommand.TryParseV2 and TryParse) takes a line
// as a command when it starts with two colons after leading spaces (warning, error, set-output, the secret mask,
// stop-commands), or when it holds '##[' anywhere (the older form of the same commands). core.info writes text as it is; core.debug,
// annotations and group titles escape CR and LF themselves, so each is one command whatever its data.
// Two layers: outside values go through inert() (one line, bounded, nothing command-like), and every info line goes
// through info(), which keeps each line of its text from being read as a command.

// C0 and C1 control characters and the line and paragraph separators: each could start a new line or hide text.
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g
// An invisible word joiner breaks both markers where they could be read: the text still reads the same.
const JOINER = '\u2060'

/**
 * An outside value as a log line may show it: on one line (control characters as \u escapes), at most `max`
 * characters, and with no two colons in a row or '##[' left that could make it a workflow command wherever it lands.
 */
export function inert(value: unknown, max = 200): string {
  const text = String(value)
  const cut = text.length > max ? `${text.slice(0, max)}…` : text
  return cut
    .replace(CONTROL, character => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/:(?=:)/g, `:${JOINER}`)
    .replace(/##\[/g, `#${JOINER}#[`)
}

/**
 * Text whose lines the runner reads as plain output: two leading colons and any '##[' broken, nothing else changed. Lines
 * end where the runner's reader ends them: at LF, CR or CRLF.
 */
export function commandFree(text: string): string {
  return text
    .split(/(\r\n|\r|\n)/)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/^(\s*):(?=:)/, `$1:${JOINER}`).replace(/##\[/g, `#${JOINER}#[`)))
    .join('')
}
