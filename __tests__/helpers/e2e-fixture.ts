import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import { DEFAULT_TOKEN, defaultSeed, startEmulator, type Emulator } from '../../emulator/index.js'
import type { Seed } from '../../emulator/types.js'
import { tagPushEvent } from '../../harness/events.js'
import { makeRepo, type TestRepo } from '../../harness/git-repo.js'
import { type ActionRun, runAction } from '../../harness/run-action.js'

/**
 * A sample project history and an emulator that fetches commits from it:
 * c0 (v1.0.0) - c1 (v1.1.0 annotated, web@1.0.0) - c2 - c3 (v1.2.0) - c4 (web@1.1.0 annotated)
 */
export interface E2eFixture {
  repo: TestRepo
  emulator: Emulator
  commits: string[]
  /** Runs the bundled action for a push of an existing tag of the repository, with default inputs. */
  pushTag(tag: string, inputs?: Record<string, string>, env?: Record<string, string>): Promise<ActionRun>
  stop(): Promise<void>
}

export async function startE2eFixture(): Promise<E2eFixture> {
  const repo = await makeRepo()
  const commits: string[] = []
  commits.push(await repo.commit('feat: first'))
  await repo.tag('v1.0.0')
  commits.push(await repo.commit('feat: second'))
  await repo.tag('v1.1.0', true)
  await repo.tag('web@1.0.0')
  commits.push(await repo.commit('fix: third'))
  commits.push(await repo.commit('feat: fourth'))
  await repo.tag('v1.2.0')
  commits.push(await repo.commit('feat: fifth'))
  await repo.tag('web@1.1.0', true)
  const emulator = await startEmulator({ git: repo.dir, fetchDelayMs: 10 })

  return {
    repo,
    emulator,
    commits,
    pushTag: (tag, inputs = {}, env = {}) => pushTagIn(repo, emulator.url, tag, inputs, env),
    async stop() {
      await emulator.stop()
      await repo.remove()
    }
  }
}

/**
 * Runs the bundled action for a push of an existing tag of `repo`, with default inputs; `workspace` is the
 * checkout the action runs in (default: the repository itself, e.g. a shallow clone of it instead).
 */
export async function pushTagIn(
  repo: TestRepo,
  sentryUrl: string,
  tag: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
  workspace = repo.dir
): Promise<ActionRun> {
  // Like GitHub: `after` is the tag object for an annotated tag, GITHUB_SHA its commit.
  const tagObject = await repo.git('rev-parse', `refs/tags/${tag}`)
  const commit = await repo.git('rev-parse', `refs/tags/${tag}^{commit}`)
  return runAction({
    inputs: { auth_token: DEFAULT_TOKEN, sentry_url: sentryUrl, org: 'acme', projects: 'web', ...inputs },
    ...tagPushEvent({ tag, tagObject, commit }),
    workspace,
    env
  })
}

/** The default seed plus existing releases (in project 'web'). */
export function seedWithReleases(...versions: string[]): Seed {
  return { ...defaultSeed(), releases: versions.map(version => ({ org: 'acme', version, projects: ['web'] })) }
}

/**
 * One fixture for the whole test file (started in beforeAll, stopped in afterAll), with Sentry reset to
 * the default seed plus these releases before each test. Its properties are read when a test runs.
 */
export function useE2eFixture(...releases: string[]): E2eFixture {
  let fixture: E2eFixture | undefined
  beforeAll(async () => {
    fixture = await startE2eFixture()
  })
  afterAll(() => fixture?.stop())
  beforeEach(() => fixture?.emulator.reset(seedWithReleases(...releases)))
  const started = (): E2eFixture => {
    if (!fixture) throw new Error('the e2e fixture starts in beforeAll')
    return fixture
  }
  return {
    get repo() {
      return started().repo
    },
    get emulator() {
      return started().emulator
    },
    get commits() {
      return started().commits
    },
    pushTag: (...args) => started().pushTag(...args),
    stop: () => started().stop()
  }
}

/** What Sentry received, in order: method, path (with its query string, if any), body and the status it answered. */
export function requestsSent(emulator: Emulator): Array<{ method: string; path: string; body: unknown; status: number }> {
  return emulator.requests.map(({ method, path, query, body, status }) => ({ method, path: withQuery(path, query), body, status }))
}

/** What Sentry received, one `METHOD path?query status` line per request, in order. */
export function requestLines(emulator: Emulator): string[] {
  return emulator.requests.map(({ method, path, query, status }) => `${method} ${withQuery(path, query)} ${status}`)
}

function withQuery(path: string, query: string): string {
  return query ? `${path}?${query}` : path
}

/** Sentry's repositories named like acme/web: auto mode asks first whether refs can work (an integration). */
export const REPOSITORY_LOOKUP_PATH = '/api/0/organizations/acme/repos/?query=acme%2Fweb&per_page=100'
/** The create (POST) of a release in org acme. */
export const RELEASES_PATH = '/api/0/organizations/acme/releases/'

/** The repository lookup as requestsSent lists it. */
export function repositoryLookup(status = 200): { method: string; path: string; body: unknown; status: number } {
  return { method: 'GET', path: REPOSITORY_LOOKUP_PATH, body: null, status }
}

/** The repository lookup as requestLines lists it. */
export const LOOKUP_LINE = `GET ${REPOSITORY_LOOKUP_PATH} 200`

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
