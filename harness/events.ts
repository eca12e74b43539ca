import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { RunnerEvent } from './runner-env.js'

type Payload = Record<string, unknown>

const examples = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')
) as Array<{ name: string; examples: Payload[] }>

/** A copy of a real payload from @octokit/webhooks-examples. */
export function examplePayload(name: string, match: (payload: Payload) => boolean): Payload {
  const payload = examples.find(event => event.name === name)?.examples.find(match)
  if (!payload) throw new Error(`no ${name} example matches`)
  return structuredClone(payload)
}

const ZERO_SHA = '0'.repeat(40)

/**
 * A push of a new tag, from the real example rewritten: `after` is what GitHub sends, i.e. the tag
 * object's SHA for an annotated tag and the commit's SHA for a lightweight one.
 */
export function tagPushPayload(tag: string, after: string): Payload {
  const payload = examplePayload('push', p => p.ref === 'refs/tags/simple-tag' && p.created === true)
  return { ...payload, ref: `refs/tags/${tag}`, before: ZERO_SHA, after, created: true, deleted: false }
}

/** A tag pushed to a repository. */
export interface TagPush {
  tag: string
  /** What `after` carries: the tag object for an annotated tag, else the commit. */
  tagObject: string
  /** GITHUB_SHA: the commit the tag points at. */
  commit: string
  /** GITHUB_REPOSITORY; default acme/web. */
  repository?: string
}

/** The push of a new tag as the runner hands it to the step: the event, its payload, GITHUB_REF and GITHUB_SHA. */
export function tagPushEvent(push: TagPush): RunnerEvent {
  const { tag, tagObject, commit, repository } = push
  return { eventName: 'push', payload: tagPushPayload(tag, tagObject), ref: `refs/tags/${tag}`, sha: commit, repository }
}

/** A push that deletes a tag, from the real example. */
export function tagDeletionPayload(tag: string): Payload {
  const payload = examplePayload('push', p => p.deleted === true)
  return { ...payload, ref: `refs/tags/${tag}`, after: ZERO_SHA }
}
