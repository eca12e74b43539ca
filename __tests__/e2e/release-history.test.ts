// A project's life against ONE Sentry: every step runs the bundled action on the state the steps before it left, as months
// of runs do, and asserts what Sentry then holds (commits, head commit, projects, deploys, dates) and the outputs.
// The rules each step relies on are in docs/sentry-api.md sections 5, 8, 10, 11 and 12.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { DEFAULT_TOKEN, startEmulator, type Emulator } from '../../emulator/index.js'
import type { Seed } from '../../emulator/types.js'
import { deploymentStatusPayload } from '../../harness/deploy-events.js'
import { tagPushPayload } from '../../harness/events.js'
import { makeRepo, type TestRepo } from '../../harness/git-repo.js'
import { type ActionRun, annotations, runAction } from '../../harness/run-action.js'

// An org whose GitHub integration is not installed yet: Sentry has no repository at all.
const SEED: Seed = {
  orgs: [
    {
      slug: 'acme',
      projects: [
        { slug: 'web', platform: 'javascript' },
        { slug: 'api', platform: 'node' }
      ],
      repositories: []
    }
  ],
  tokens: [{ token: DEFAULT_TOKEN, scopes: ['org:ci'] }],
  releases: []
}

let repo: TestRepo
let sentry: Emulator
/** The commits of each release's range, oldest first, by tag. */
const ranges: Record<string, string[]> = {}
let pushes = 0

beforeAll(async () => {
  repo = await makeRepo()
  sentry = await startEmulator({ seed: SEED, git: repo.dir, fetchDelayMs: 20 })
})
afterAll(async () => {
  await sentry?.stop()
  await repo?.remove()
})

/** Commits on top of HEAD and tags the last one; returns the new commits, oldest first. */
async function release(tag: string, messages: string[]): Promise<string[]> {
  const commits: string[] = []
  for (const message of messages) commits.push(await repo.commit(message))
  await repo.tag(tag)
  ranges[tag] = commits
  return commits
}

/** What a request log line looks like: method, path (without the query) and Sentry's status. */
function requestLines(from: number): string[] {
  return sentry.requests.slice(from).map(({ method, path, status }) => `${method} ${path} ${status}`)
}

/** The bundled action for a push of `tag`, GitHub's push one minute after the previous one; the requests it made. */
async function pushTag(
  tag: string,
  inputs: Record<string, string> = {}
): Promise<{ run: ActionRun; requests: string[]; pushedAt: string }> {
  const pushedAt = new Date(Date.parse('2024-06-01T10:00:00Z') + ++pushes * 60_000)
  const payload = tagPushPayload(tag, await repo.git('rev-parse', `refs/tags/${tag}`))
  payload.repository = { ...(payload.repository as object), pushed_at: pushedAt.getTime() / 1000 }
  const from = sentry.requests.length
  const run = await runAction({
    inputs: { auth_token: DEFAULT_TOKEN, sentry_url: sentry.url, org: 'acme', projects: 'web', ...inputs },
    eventName: 'push',
    payload,
    ref: `refs/tags/${tag}`,
    sha: await repo.git('rev-parse', `refs/tags/${tag}^{commit}`),
    workspace: repo.dir
  })
  await sentry.settle()
  return { run, requests: requestLines(from), pushedAt: pushedAt.toISOString() }
}

const held = (version: string) => sentry.release('acme', version) as Record<string, unknown> & { lastCommit: { id: string } | null }
const projectsOf = (version: string) => (held(version).projects as Array<{ slug: string }>).map(project => project.slug)
const headCommitsOf = (version: string) => sentry.headCommits('acme', version).map(({ repository, commit }) => `${repository}@${commit}`)
const repositories = () => sentry.repositories('acme').map(row => `${String(row.name)} ${(row.provider as { id: string }).id}`)
const RELEASES = '/api/0/organizations/acme/releases/'
const REPOS = '/api/0/organizations/acme/repos/ 200'

describe('a release history against one Sentry', () => {
  test('1. the first release, no integration: a warning, the commits from git, a repository without provider is born', async () => {
    const commits = await release('v1.0.0', ['feat: one', 'feat: two', 'feat: three'])
    const { run, requests, pushedAt } = await pushTag('v1.0.0')
    expect(run.code).toBe(0)
    expect(requests).toEqual([`GET ${REPOS}`, `POST ${RELEASES} 201`])
    expect(annotations(run.stdout)).toEqual([
      ['warning', expect.stringMatching(/^Sentry has no repository 'acme\/web' in org 'acme', so it cannot fetch the commits/)],
      [
        'notice',
        "No previous commit (no earlier tag matching 'v*' precedes this release): sending up to 20 commits from git (initial_depth)."
      ]
    ])
    expect(held('v1.0.0')).toMatchObject({ commitCount: 3, lastCommit: { id: commits[2] }, dateReleased: pushedAt, ref: commits[2] })
    expect(run.outputs).toMatchObject({ commitCount: '3', commitsSent: '3', headCommit: commits[2] })
    expect(repositories()).toEqual(['acme/web unknown'])
  })

  test('2. the second release: the repository Sentry made has no integration, so the commits come from git again (a notice, no 400)', async () => {
    const commits = await release('v1.1.0', ['fix: four', 'feat: five'])
    const { run, requests } = await pushTag('v1.1.0')
    expect(run.code).toBe(0)
    expect(requests).toEqual([`GET ${REPOS}`, `POST ${RELEASES} 201`])
    expect(annotations(run.stdout)).toEqual([['notice', expect.stringMatching(/^Sentry's repository 'acme\/web' has no integration/)]])
    expect(held('v1.1.0')).toMatchObject({ commitCount: 2, lastCommit: { id: commits[1] } })
    expect(run.outputs).toMatchObject({ commitCount: '2', commitsSent: '2', previousCommit: ranges['v1.0.0'][2] })
  })

  test('3. the third release: commits present every time, never a silent 0', async () => {
    const commits = await release('v1.2.0', ['feat: six'])
    const { run, requests } = await pushTag('v1.2.0')
    expect(run.code).toBe(0)
    expect(requests).toEqual([`GET ${REPOS}`, `POST ${RELEASES} 201`])
    expect(held('v1.2.0')).toMatchObject({ commitCount: 1, lastCommit: { id: commits[0] } })
  })

  test('4. the integration is installed: refs again, fetched through it, whatever the order of author dates', async () => {
    sentry.addRepository('acme', { name: 'acme/web', provider: 'github', url: 'https://github.com/acme/web' })
    // A cherry-picked commit keeps its old author date: Sentry's newest-first order puts another commit last.
    const commits = await release('v1.3.0', ['feat: seven', 'feat: eight'])
    const picked = await repo.commit('fix: cherry-picked', { authorDate: '2023-01-01T00:00:00Z' })
    await repo.tag('v1.3.0', false, true)
    ranges['v1.3.0'] = [...commits, picked]
    const { run, requests } = await pushTag('v1.3.0', { wait_for_commits: '10' })
    expect(run.code).toBe(0)
    expect(requests.slice(0, 2)).toEqual([`GET ${REPOS}`, `POST ${RELEASES} 201`])
    expect(requests.slice(2).every(line => line === `GET ${RELEASES}v1.3.0/ 200`)).toBe(true)
    expect(run.stdout).toContain("Sentry's repository acme/web has an integration: Sentry fetches the commits (refs).")
    expect(run.stdout).toContain('Sentry lists 3 commits for v1.3.0.')
    expect(held('v1.3.0')).toMatchObject({ commitCount: 3, lastCommit: { id: commits[1] } })
    expect(run.outputs).toMatchObject({ commitCount: '3', commitsSent: '0', lastCommit: commits[1], headCommit: picked })
    expect(repositories()).toEqual(['acme/web unknown', 'acme/web integrations:github'])
    expect(headCommitsOf('v1.3.0')).toEqual([`acme/web@${picked}`])
    expect(annotations(run.stdout)).toEqual([])
  })

  test('5. a release an SDK created first for another project, then tagged and deployed: project added, fields set, deploy accepted', async () => {
    await release('v1.4.0', ['feat: nine'])
    // An SDK (or another component's pipeline) created the release for project api, with none of our fields.
    const created = await fetch(`${sentry.url}/api/0/organizations/acme/releases/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${DEFAULT_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ version: 'v1.4.0', projects: ['api'] })
    })
    expect(created.status).toBe(201)
    const { run, requests, pushedAt } = await pushTag('v1.4.0', { environment: 'production' })
    expect(run.code).toBe(0)
    expect(requests).toEqual([`GET ${REPOS}`, `POST ${RELEASES} 201`, `PUT ${RELEASES}v1.4.0/ 200`, `POST ${RELEASES}v1.4.0/deploys/ 201`])
    expect(projectsOf('v1.4.0').sort()).toEqual(['api', 'web'])
    expect(held('v1.4.0')).toMatchObject({
      ref: ranges['v1.4.0'][0],
      dateReleased: pushedAt,
      deployCount: 1,
      url: 'https://github.com/acme/web/releases/tag/v1.4.0'
    })
    expect(run.outputs).toMatchObject({ deployCount: '1', deployId: expect.stringMatching(/^\d+$/) })
  })

  const deployedV13 = () =>
    runAction({
      inputs: { auth_token: DEFAULT_TOKEN, sentry_url: sentry.url, org: 'acme', projects: 'web', finalize: 'false' },
      eventName: 'deployment_status',
      payload: deploymentStatusPayload(ranges['v1.3.0'][2], 'v1.3.0', 'success', { environment_url: 'https://acme.example.com' }),
      ref: 'refs/tags/v1.3.0',
      sha: ranges['v1.3.0'][2],
      workspace: repo.dir
    })

  test('6. a deploy workflow after the tag push (finalize: false): the release stays as the tag push left it, one deploy', async () => {
    const before = held('v1.3.0')
    const from = sentry.requests.length
    const run = await deployedV13()
    expect(run.code).toBe(0)
    expect(requestLines(from)).toEqual([`GET ${REPOS}`, `POST ${RELEASES} 208`, `POST ${RELEASES}v1.3.0/deploys/ 201`])
    expect(held('v1.3.0')).toMatchObject({ dateReleased: before.dateReleased, ref: before.ref, commitCount: 3, deployCount: 1 })
    expect(sentry.deploys('acme', 'v1.3.0')).toEqual([
      expect.objectContaining({ environment: 'production', url: 'https://acme.example.com' })
    ])
  })

  test('7. a rerun of that older deploy records nothing more', async () => {
    const from = sentry.requests.length
    const run = await deployedV13()
    expect(run.code).toBe(0)
    expect(requestLines(from)).toEqual([`GET ${REPOS}`, `POST ${RELEASES} 208`])
    expect(held('v1.3.0')).toMatchObject({ deployCount: 1 })
    expect(run.outputs).toMatchObject({ deployCount: '1', deployId: String((held('v1.3.0').lastDeploy as { id: string }).id) })
  })

  test('8. a concurrent workflow created the release first (208): ref, url and dateReleased still end up on it', async () => {
    await release('v1.5.0', ['feat: ten'])
    await fetch(`${sentry.url}/api/0/organizations/acme/releases/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${DEFAULT_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ version: 'v1.5.0', projects: ['web'], url: 'https://ci.example.com/other-pipeline' })
    })
    const { run, requests, pushedAt } = await pushTag('v1.5.0')
    expect(run.code).toBe(0)
    expect(requests).toEqual([`GET ${REPOS}`, `POST ${RELEASES} 208`, `PUT ${RELEASES}v1.5.0/ 200`])
    expect(held('v1.5.0')).toMatchObject({ url: 'https://github.com/acme/web/releases/tag/v1.5.0', dateReleased: pushedAt })
    // A rerun: the release holds everything already, one write.
    const rerun = await pushTag('v1.5.0', { date_released: pushedAt })
    expect(rerun.requests).toEqual([`GET ${REPOS}`, `POST ${RELEASES} 208`])
  })

  test("9. a rate-limited burst: Sentry's real 429 (no Retry-After) is waited out until its reset", async () => {
    await release('v1.6.0', ['feat: eleven'])
    sentry.addFault({ method: 'POST', path: '/releases/', status: 429, times: 2 })
    const { run, requests } = await pushTag('v1.6.0')
    expect(run.code).toBe(0)
    expect(requests).toEqual([`GET ${REPOS}`, `POST ${RELEASES} 429`, `POST ${RELEASES} 429`, `POST ${RELEASES} 201`])
    expect(held('v1.6.0')).toMatchObject({ ref: ranges['v1.6.0'][0] })
  })

  test('10. a tag moved to a new commit and pushed again: the new head, the new range, the true count', async () => {
    const extra = await repo.commit('fix: twelve')
    await repo.tag('v1.6.0', false, true)
    const { run, requests } = await pushTag('v1.6.0', { wait_for_commits: '10' })
    expect(run.code).toBe(0)
    expect(requests.slice(0, 3)).toEqual([`GET ${REPOS}`, `POST ${RELEASES} 208`, `PUT ${RELEASES}v1.6.0/ 200`])
    expect(held('v1.6.0')).toMatchObject({ ref: extra, commitCount: 2, lastCommit: { id: extra } })
    expect(headCommitsOf('v1.6.0')).toEqual([`acme/web@${extra}`])
    expect(run.outputs).toMatchObject({ commitCount: '2', headCommit: extra })
  })

  test('11. a long tag name: its GitHub page is longer than Sentry stores, so the release links to the commit, with a notice', async () => {
    const tag = `v1.7.0-${'x'.repeat(170)}`
    const [head] = await release(tag, ['feat: thirteen'])
    const { run } = await pushTag(tag)
    expect(run.code).toBe(0)
    expect(held(tag)).toMatchObject({ url: `https://github.com/acme/web/commit/${head}` })
    expect(annotations(run.stdout)).toEqual([
      ['notice', expect.stringMatching(/has more than 200 characters, Sentry's limit for a release's url/)]
    ])
  })
})
