// The action's inputs, read through @actions/core; the rules that turn them into settings are in core/settings.ts.
import * as core from '@actions/core'
import { orgTokenSecret } from '../core/org-token.js'
import { authTokenOf, type InputReader, parseSettings, type Settings } from '../core/settings.js'

/** Reads one input by name, as the runner passes it (INPUT_<NAME>). */
export const readActionInput: InputReader = name => core.getInput(name)

/** Masks the token the inputs or SENTRY_AUTH_TOKEN give (alone, for a run that reads no other release setting). */
export function maskAuthToken(env: NodeJS.ProcessEnv = process.env, input: InputReader = readActionInput): void {
  const authToken = authTokenOf(env, input)
  if (authToken) maskToken(authToken)
}

/**
 * The release settings from the inputs and the environment. The token, and an org token's secret part on its own, are
 * masked before anything else is read, so no later log line can show either.
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env, input: InputReader = readActionInput): Settings {
  maskAuthToken(env, input)
  return parseSettings(env, input, (message, title) => core.warning(message, { title }))
}

/** The whole token, and an org token's secret on its own, so no later log line can show either. */
function maskToken(token: string): void {
  core.setSecret(token)
  const secret = orgTokenSecret(token)
  if (secret) core.setSecret(secret)
}
