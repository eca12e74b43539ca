import { readFileSync, statSync } from 'node:fs'
import type { GitHubContext } from '../core/context.js'
import { isRecord } from '../core/payload.js'

/** The part of @actions/github's `context` the action reads; its fields are undefined outside a runner. */
export interface ToolkitContext {
  eventName?: string
  payload: object
  ref?: string
  sha?: string
  serverUrl?: string
  apiUrl?: string
  /** owner and name, from GITHUB_REPOSITORY else the payload; throws when neither says. */
  readonly repo: { owner: string; repo: string }
}

/**
 * The run's context from @actions/github. The payload file is checked first: @actions/github parses it while it
 * loads, where a broken file would end the run with a stack trace instead of a line naming GITHUB_EVENT_PATH.
 */
export async function loadGitHubContext(eventPath = process.env.GITHUB_EVENT_PATH): Promise<GitHubContext> {
  checkEventPayload(eventPath)
  // Bundled into dist/index.js (webpackMode eager), evaluated only here.
  const { context } = await import(/* webpackMode: "eager" */ '@actions/github')
  return githubContext(context)
}

/** Pure: @actions/github's context -> the action's, with the defaults of a run outside a runner. */
export function githubContext(context: ToolkitContext): GitHubContext {
  return {
    eventName: context.eventName ?? '',
    payload: context.payload as Record<string, unknown>,
    ref: context.ref ?? '',
    sha: context.sha ?? '',
    repository: repositoryOf(context),
    serverUrl: withoutTrailingSlash(context.serverUrl || 'https://github.com'),
    apiUrl: withoutTrailingSlash(context.apiUrl || 'https://api.github.com')
  }
}

/** GitHub caps webhook payloads at 25 MB ("Webhook events and payloads"): a larger file is not an event GitHub sent. */
export const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024

/**
 * Throws naming GITHUB_EVENT_PATH when the runner's payload file cannot be read, is larger than GitHub's payloads, or is
 * not a JSON object.
 */
export function checkEventPayload(eventPath: string | undefined): void {
  if (!eventPath) return
  let payload: unknown
  try {
    const { size } = statSync(eventPath)
    if (size > MAX_PAYLOAD_BYTES) {
      throw new Error(`it has ${size} bytes; GitHub's event payloads have at most ${MAX_PAYLOAD_BYTES / 1024 / 1024} MiB`)
    }
    payload = JSON.parse(readFileSync(eventPath, 'utf8'))
  } catch (error) {
    throw new Error(`Cannot read the event payload GITHUB_EVENT_PATH=${eventPath}: ${(error as Error).message}`)
  }
  if (!isRecord(payload)) throw new Error(`The event payload GITHUB_EVENT_PATH=${eventPath} is not a JSON object`)
}

function repositoryOf(context: ToolkitContext): string {
  try {
    const { owner, repo } = context.repo
    return owner && repo ? `${owner}/${repo}` : ''
  } catch {
    return ''
  }
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
