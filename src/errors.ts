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

/** One line for the log: the message only, never a stack trace. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0]
}
