import { readFileSync } from 'node:fs'

/** The runner's description of the run: environment variables and the event payload. */
export interface GitHubContext {
  eventName: string
  /** The parsed GITHUB_EVENT_PATH file; {} when there is none. */
  payload: Record<string, unknown>
  /** GITHUB_REF, e.g. refs/tags/v1.2.0. */
  ref: string
  /** GITHUB_SHA: the commit the run is for ('' outside a runner). */
  sha: string
  /** GITHUB_REPOSITORY, owner/name. */
  repository: string
  /** GITHUB_SERVER_URL, for links to commits and tags. */
  serverUrl: string
}

/** What the run releases. `sha` is GITHUB_SHA; for tags it is only a hint, the tag is peeled in git. */
export type ReleaseTarget =
  | { kind: 'tag'; tag: string; sha: string }
  | { kind: 'commit'; sha: string }
  | { kind: 'tag-deleted'; tag: string }

const TAG_REF_PREFIX = 'refs/tags/'

export function readGitHubContext(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload: readPayload(env.GITHUB_EVENT_PATH),
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    repository: env.GITHUB_REPOSITORY ?? '',
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  }
}

function readPayload(eventPath: string | undefined): Record<string, unknown> {
  if (!eventPath) return {}
  try {
    const payload: unknown = JSON.parse(readFileSync(eventPath, 'utf8'))
    return isRecord(payload) ? payload : {}
  } catch (error) {
    throw new Error(`Cannot read the event payload GITHUB_EVENT_PATH=${eventPath}: ${(error as Error).message}`)
  }
}

/** Tag pushes, tag creation and releases release the tag; every other event releases the commit. */
export function releaseTarget(context: GitHubContext): ReleaseTarget {
  const { eventName, payload, sha } = context
  const tag = eventTag(eventName, payload, context.ref)
  if (tag === undefined) return { kind: 'commit', sha }
  if (eventName === 'push' && payload.deleted === true) return { kind: 'tag-deleted', tag }
  return { kind: 'tag', tag, sha }
}

function eventTag(eventName: string, payload: Record<string, unknown>, ref: string): string | undefined {
  switch (eventName) {
    case 'push': {
      const pushed = stringField(payload, 'ref') ?? ref
      return pushed.startsWith(TAG_REF_PREFIX) ? pushed.slice(TAG_REF_PREFIX.length) : undefined
    }
    case 'create':
      return payload.ref_type === 'tag' ? stringField(payload, 'ref') : undefined
    case 'release':
      return isRecord(payload.release) ? stringField(payload.release, 'tag_name') : undefined
    default:
      return undefined
  }
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
