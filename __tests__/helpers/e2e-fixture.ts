import { DEFAULT_TOKEN, defaultSeed, startEmulator, type Emulator } from '../../emulator/index.js'
import type { Seed } from '../../emulator/types.js'
import { tagPushPayload } from './events.js'
import { makeRepo, type TestRepo } from './git-repo.js'
import { type ActionRun, runAction } from './run-action.js'

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
    async pushTag(tag, inputs = {}, env = {}) {
      return runAction({
        inputs: { auth_token: DEFAULT_TOKEN, sentry_url: emulator.url, org: 'acme', projects: 'web', ...inputs },
        eventName: 'push',
        // Like GitHub: `after` is the tag object for an annotated tag, GITHUB_SHA its commit.
        payload: tagPushPayload(tag, await repo.git('rev-parse', `refs/tags/${tag}`)),
        ref: `refs/tags/${tag}`,
        sha: await repo.git('rev-parse', `refs/tags/${tag}^{commit}`),
        workspace: repo.dir,
        env
      })
    },
    async stop() {
      await emulator.stop()
      await repo.remove()
    }
  }
}

/** The default seed plus existing releases (in project 'web'). */
export function seedWithReleases(...versions: string[]): Seed {
  return { ...defaultSeed(), releases: versions.map(version => ({ org: 'acme', version, projects: ['web'] })) }
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
