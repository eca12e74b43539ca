import type { GitHubContext } from '../../src/core/context.js'
import type { PlanInputs } from '../../src/core/plan.js'
import type { Settings } from '../../src/core/settings.js'

export const HEAD = 'b'.repeat(40)
export const PREVIOUS = 'a'.repeat(40)

/** Settings as readSettings returns them for a plain tag-push workflow, with overrides. */
export function settingsWith(overrides: Partial<Settings> = {}): Settings {
  return {
    authToken: 'sntryu_token',
    org: 'acme',
    sentryUrl: 'https://sentry.example.com',
    releasePrefix: '',
    releaseInput: 'release',
    releasePrefixInput: 'release_prefix',
    projects: [],
    create: true,
    setCommits: 'auto',
    repository: 'acme/web',
    paths: [],
    initialDepth: 20,
    maxCommits: 1000,
    ignoreMissing: false,
    ignoreEmpty: false,
    waitForCommitsMs: 0,
    finalize: true,
    workingDirectory: '/workspace',
    dryRun: false,
    requestTimeoutMs: 30_000,
    ...overrides
  }
}

/** github.com's URLs, as @actions/github's context gives them by default. */
export const GITHUB_URLS = { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com' }

export const githubContext: GitHubContext = {
  eventName: 'push',
  payload: {},
  ref: 'refs/tags/v1.2.0',
  sha: HEAD,
  repository: 'acme/web',
  ...GITHUB_URLS
}

/** buildPlan's inputs for a push of tag v1.2.0 whose range is PREVIOUS..HEAD. */
export function tagPushPlanInputs(overrides: Partial<PlanInputs> = {}): PlanInputs {
  return {
    settings: settingsWith(),
    context: githubContext,
    target: { kind: 'tag', tag: 'v1.2.0', sha: HEAD },
    range: { head: HEAD, previous: PREVIOUS },
    now: new Date(0),
    ...overrides
  }
}
