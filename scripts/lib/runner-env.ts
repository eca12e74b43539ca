// The environment a GitHub runner gives a JavaScript action on a tag push, as files and variables.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface TagPush {
  tag: string
  /** The tag object for an annotated tag, else the commit: what `payload.after` carries. */
  tagObject: string
  commit: string
  repository: string
}

// When the tag was pushed (GitHub's `repository.pushed_at`, unix seconds; the action's release date): fixed, so
// the same event gives the same payload, as a re-run's does.
const PUSHED_AT = 1_700_000_000

export interface RunnerEnvOptions {
  push: TagPush
  /** The checkout (GITHUB_WORKSPACE). */
  workspace: string
  /** Where this run's event, output and summary files go; created if missing. */
  tempDir: string
  /** Inputs by action.yml name; empty values are left out like unset inputs. */
  inputs: Record<string, string>
  /** Added last (SENTRY_* variables, RUNNER_DEBUG ...). */
  extra?: Record<string, string>
}

/** The `push` payload GitHub sends for a new tag (the examples package has none). */
export function tagPushPayload(push: TagPush): Record<string, unknown> {
  const [owner, name] = push.repository.split('/')
  return {
    ref: `refs/tags/${push.tag}`,
    before: '0'.repeat(40),
    after: push.tagObject,
    created: true,
    deleted: false,
    forced: false,
    base_ref: 'refs/heads/main',
    compare: `https://github.com/${push.repository}/compare/${push.tag}`,
    commits: [],
    head_commit: { id: push.commit },
    repository: {
      name,
      full_name: push.repository,
      owner: { login: owner },
      html_url: `https://github.com/${push.repository}`,
      pushed_at: PUSHED_AT
    }
  }
}

/** Writes the event payload and empty output/summary files, and returns the runner's variables for the step. */
export async function runnerEnv(options: RunnerEnvOptions): Promise<Record<string, string>> {
  const { push, tempDir } = options
  await mkdir(tempDir, { recursive: true })
  const files = {
    GITHUB_EVENT_PATH: join(tempDir, 'event.json'),
    GITHUB_OUTPUT: join(tempDir, 'output'),
    GITHUB_STEP_SUMMARY: join(tempDir, 'summary.md')
  }
  await writeFile(files.GITHUB_EVENT_PATH, JSON.stringify(tagPushPayload(push)))
  await writeFile(files.GITHUB_OUTPUT, '')
  await writeFile(files.GITHUB_STEP_SUMMARY, '')
  const inputs = Object.entries(options.inputs)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value])
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tempDir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: `refs/tags/${push.tag}`,
    GITHUB_REF_NAME: push.tag,
    GITHUB_REF_TYPE: 'tag',
    GITHUB_SHA: push.commit,
    GITHUB_REPOSITORY: push.repository,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKSPACE: options.workspace,
    RUNNER_TEMP: tempDir,
    ...files,
    ...Object.fromEntries(inputs),
    ...options.extra
  }
}
