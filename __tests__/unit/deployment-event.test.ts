import { describe, expect, test } from '@jest/globals'
import { deployIntent } from '../../src/core/deployment-event.js'
import { releaseTarget } from '../../src/core/event.js'
import type { GitHubContext } from '../../src/core/context.js'
import { examplePayload } from '../../harness/events.js'
import { GITHUB_URLS } from '../helpers/fixtures.js'

const GITHUB_SHA = 'a'.repeat(40)
const DEPLOYED_SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e'

function context(eventName: string, payload: Record<string, unknown>, ref = ''): GitHubContext {
  return { eventName, payload, ref, sha: GITHUB_SHA, repository: 'acme/web', ...GITHUB_URLS }
}
const deployment = () => examplePayload('deployment', p => (p.deployment as { environment: string }).environment === 'production')
function deploymentStatus(state: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const payload = examplePayload('deployment_status', p => (p.deployment_status as { state: string }).state === 'success')
  return { ...payload, deployment_status: { ...(payload.deployment_status as object), state, ...fields } }
}

describe('what a deployment releases', () => {
  test('a deployment of a branch releases deployment.sha, not GITHUB_SHA', () => {
    expect(releaseTarget(context('deployment', deployment(), 'refs/heads/master'))).toEqual({ kind: 'commit', sha: DEPLOYED_SHA })
  })

  test('a deployment created from a SHA (empty GITHUB_REF) releases the SHA', () => {
    const payload = deployment()
    Object.assign(payload.deployment as object, { ref: DEPLOYED_SHA })
    expect(releaseTarget(context('deployment', payload, ''))).toEqual({ kind: 'commit', sha: DEPLOYED_SHA })
  })

  test('a deployment of a tag releases the tag (GITHUB_REF, or a full ref in deployment.ref)', () => {
    const payload = deployment()
    Object.assign(payload.deployment as object, { ref: 'v1.2.0' })
    expect(releaseTarget(context('deployment', payload, 'refs/tags/v1.2.0'))).toEqual({ kind: 'tag', tag: 'v1.2.0', sha: DEPLOYED_SHA })
    Object.assign(payload.deployment as object, { ref: 'refs/tags/v1.3.0' })
    expect(releaseTarget(context('deployment_status', payload, ''))).toEqual({ kind: 'tag', tag: 'v1.3.0', sha: DEPLOYED_SHA })
  })

  test('workflow_run releases workflow_run.head_sha, never GITHUB_SHA', () => {
    const payload = examplePayload('workflow_run', p => p.action === 'completed')
    expect(releaseTarget(context('workflow_run', payload, 'refs/heads/main'))).toEqual({
      kind: 'commit',
      sha: '5779607b49aab1200488439f02372c57b4f75444'
    })
  })
})

describe('deployIntent', () => {
  test('deployment: a deploy to its environment, started when it was created', () => {
    expect(deployIntent(context('deployment', deployment()))).toEqual({
      kind: 'deploy',
      environment: 'production',
      dateStarted: '2019-05-15T15:20:53.000Z'
    })
  })

  test('deployment_status success: a finished deploy with the status url', () => {
    const payload = deploymentStatus('success', { environment_url: 'https://acme.example.com', target_url: 'https://ci.example.com/1' })
    expect(deployIntent(context('deployment_status', payload))).toEqual({
      kind: 'deploy',
      environment: 'production',
      url: 'https://acme.example.com',
      dateStarted: '2019-05-15T15:20:53.000Z',
      dateFinished: '2019-05-15T15:20:55.000Z'
    })
  })

  test('the url falls back to target_url; empty or non-http urls are not sent', () => {
    const withTarget = deploymentStatus('success', { environment_url: '', target_url: 'https://ci.example.com/1' })
    expect(deployIntent(context('deployment_status', withTarget))).toMatchObject({ url: 'https://ci.example.com/1' })
    const none = deploymentStatus('success', { environment_url: 'ftp://x', target_url: '' })
    expect(deployIntent(context('deployment_status', none))).not.toHaveProperty('url', expect.anything())
  })

  test.each(['pending', 'queued', 'in_progress'])('deployment_status %s: the release only, with a notice', state => {
    expect(deployIntent(context('deployment_status', deploymentStatus(state)))).toEqual({
      kind: 'release-only',
      notice: `Deployment 145988746 to 'production' is '${state}': the release is updated; its deploy is recorded when the status is success.`
    })
  })

  test.each(['failure', 'error'])('deployment_status %s: nothing, and says it did not deploy', state => {
    expect(deployIntent(context('deployment_status', deploymentStatus(state)))).toEqual({
      kind: 'nothing',
      notice: `Deployment 145988746 to 'production' is '${state}': it did not deploy, so nothing is sent to Sentry.`
    })
  })

  test('deployment_status inactive: nothing', () => {
    expect(deployIntent(context('deployment_status', deploymentStatus('inactive')))).toEqual({
      kind: 'nothing',
      notice: "Deployment 145988746 to 'production' is 'inactive': there is no deploy to record, so nothing is sent to Sentry."
    })
  })

  test('other events: a deploy only if the environment input names one', () => {
    expect(
      deployIntent(
        context(
          'push',
          examplePayload('push', p => p.deleted === false)
        )
      )
    ).toEqual({ kind: 'deploy' })
  })
})
