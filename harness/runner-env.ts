// The environment a GitHub runner gives a JavaScript action's step, as files and variables: one builder for the
// tests, the demo and the benchmarks.
import { mkdir, writeFile } from 'node:fs/promises'
import * as path from 'node:path'

/** An event as a runner hands it to a step: its name, its payload file, GITHUB_REF and GITHUB_SHA. */
export interface RunnerEvent {
  eventName: string
  payload: Record<string, unknown>
  /** The payload file's text as it is, instead of `payload` as JSON (a broken or hostile file). */
  payloadText?: string
  /** GITHUB_REF and GITHUB_SHA. */
  ref: string
  sha: string
  /** GITHUB_REPOSITORY, `owner/name`; default acme/web, the emulator's repository. */
  repository?: string
}

export interface RunnerEnvOptions extends RunnerEvent {
  /** The checkout: GITHUB_WORKSPACE. */
  workspace: string
  /** RUNNER_TEMP, where the event, output and summary files go; made if missing. */
  tempDir: string
  /** Inputs by action.yml name, passed as INPUT_<NAME> like the runner does. */
  inputs: Record<string, string>
  /** Added last, over the rest (SENTRY_* variables, a GITHUB_OUTPUT elsewhere ...). */
  env?: Record<string, string>
}

/** The files a runner makes for a step, by the variable that names each. */
export interface RunnerFiles {
  GITHUB_EVENT_PATH: string
  GITHUB_OUTPUT: string
  GITHUB_STEP_SUMMARY: string
}

/**
 * Writes the event payload and empty output and summary files into `tempDir`, and returns the step's variables: only
 * what a runner sets, so nothing leaks in from the machine (no SENTRY_*, no GITHUB_* of its own), then `env`.
 */
export async function runnerEnv(options: RunnerEnvOptions): Promise<{ env: Record<string, string>; files: RunnerFiles }> {
  const { tempDir } = options
  await mkdir(tempDir, { recursive: true })
  const files: RunnerFiles = {
    GITHUB_EVENT_PATH: path.join(tempDir, 'event.json'),
    GITHUB_OUTPUT: path.join(tempDir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(tempDir, 'summary.md')
  }
  await writeFile(files.GITHUB_EVENT_PATH, options.payloadText ?? JSON.stringify(options.payload))
  await Promise.all([writeFile(files.GITHUB_OUTPUT, ''), writeFile(files.GITHUB_STEP_SUMMARY, '')])
  const inputs = Object.entries(options.inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value])
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tempDir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_REF: options.ref,
    ...refNameAndType(options.ref),
    GITHUB_SHA: options.sha,
    GITHUB_REPOSITORY: options.repository ?? 'acme/web',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKSPACE: options.workspace,
    RUNNER_TEMP: tempDir,
    ...files,
    ...Object.fromEntries(inputs),
    ...options.env
  }
  return { env, files }
}

/**
 * GITHUB_REF_NAME and GITHUB_REF_TYPE as GitHub documents them: the short name (`<number>/merge` for a pull request)
 * and `tag` or `branch`; neither without a ref.
 */
function refNameAndType(ref: string): Record<string, string> {
  if (!ref) return {}
  return {
    GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags|pull)\//, ''),
    GITHUB_REF_TYPE: ref.startsWith('refs/tags/') ? 'tag' : 'branch'
  }
}
