import { describe, expect, test } from '@jest/globals'
import { nothingToRelease, releaseTarget } from '../../src/core/event.js'
import type { GitHubContext } from '../../src/core/context.js'
import { examplePayload } from '../../harness/events.js'
import { GITHUB_URLS } from '../helpers/fixtures.js'

const SHA = 'a'.repeat(40)

function context(eventName: string, payload: Record<string, unknown>, ref = ''): GitHubContext {
  return { eventName, payload, ref, sha: SHA, repository: 'acme/web', ...GITHUB_URLS }
}

describe('releaseTarget', () => {
  test('a tag push releases the tag', () => {
    const payload = examplePayload('push', p => p.ref === 'refs/tags/simple-tag' && p.deleted === false)
    expect(releaseTarget(context('push', payload))).toEqual({ kind: 'tag', tag: 'simple-tag', sha: SHA })
  })

  test('a branch push releases the commit', () => {
    const payload = examplePayload('push', p => p.ref === 'refs/heads/master')
    expect(releaseTarget(context('push', payload))).toEqual({ kind: 'commit', sha: SHA })
  })

  test('creating a tag releases the tag; creating a branch releases the commit', () => {
    const payload = examplePayload('create', p => p.ref_type === 'tag')
    expect(releaseTarget(context('create', payload))).toEqual({ kind: 'tag', tag: 'simple-tag', sha: SHA })
    expect(releaseTarget(context('create', { ...payload, ref_type: 'branch' }))).toEqual({ kind: 'commit', sha: SHA })
  })

  test('a release event releases its tag', () => {
    const payload = examplePayload('release', p => p.action === 'published')
    expect(releaseTarget(context('release', payload))).toEqual({ kind: 'tag', tag: '0.0.1', sha: SHA })
  })

  test('a push without payload falls back to GITHUB_REF', () => {
    expect(releaseTarget(context('push', {}, 'refs/tags/v2.0.0'))).toEqual({ kind: 'tag', tag: 'v2.0.0', sha: SHA })
  })

  test('workflow_dispatch on a tag ref still releases the commit', () => {
    expect(releaseTarget(context('workflow_dispatch', {}, 'refs/tags/v2.0.0'))).toEqual({ kind: 'commit', sha: SHA })
  })

  test('a tag name with a control character (a NUL, a newline) is refused in one inert line, wherever the payload puts it', () => {
    const message = "The event names tag 'v1\\u0000:\u2060:warning:\u2060:x', which holds a control character: no git tag has one"
    expect(() => releaseTarget(context('push', { ref: 'refs/tags/v1\0::warning::x' }))).toThrow(message)
    expect(() => releaseTarget(context('release', { release: { tag_name: 'v1\0::warning::x' } }))).toThrow(message)
    const deployment = { deployment: { ref: 'refs/tags/v1\0::warning::x', sha: SHA, environment: 'production' } }
    expect(() => releaseTarget(context('deployment', deployment))).toThrow(message)
  })
})

describe('nothingToRelease', () => {
  const releaseWith = (action: string) => ({ ...examplePayload('release', p => p.action === 'published'), action })

  test('a tag deletion push: nothing, and why', () => {
    const payload = examplePayload('push', p => p.deleted === true)
    expect(nothingToRelease(context('push', payload))).toBe('Tag simple-tag was deleted: there is no release to update.')
  })

  test.each(['deleted', 'unpublished'])('a GitHub release %s: nothing, and why', action => {
    expect(nothingToRelease(context('release', releaseWith(action)))).toBe(
      `GitHub release 0.0.1 was ${action}: the Sentry release is left as it is, nothing is sent.`
    )
  })

  test('the real deleted example', () => {
    const payload = examplePayload('release', p => p.action === 'deleted')
    expect(nothingToRelease(context('release', payload))).toBe(
      'GitHub release 0.0.1 was deleted: the Sentry release is left as it is, nothing is sent.'
    )
  })

  test.each(['published', 'released', 'prereleased', 'created', 'edited'])('a GitHub release %s is released', action => {
    expect(nothingToRelease(context('release', releaseWith(action)))).toBeUndefined()
  })

  test('pushes that delete no tag, and other events, are released', () => {
    expect(
      nothingToRelease(
        context(
          'push',
          examplePayload('push', p => p.ref === 'refs/tags/simple-tag' && p.deleted === false)
        )
      )
    ).toBeUndefined()
    expect(
      nothingToRelease(
        context(
          'push',
          examplePayload('push', p => p.ref === 'refs/heads/master')
        )
      )
    ).toBeUndefined()
    expect(nothingToRelease(context('workflow_dispatch', { deleted: true, action: 'deleted' }, 'refs/tags/v1'))).toBeUndefined()
  })
})
