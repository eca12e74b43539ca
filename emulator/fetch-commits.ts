// Sentry's fetch_commits task (tasks/commits.py fetch_commits): after a refs update, replace the release's commits in
// the background.
import type { Release } from './model.js'
import type { State } from './state.js'
import { replaceCommits, type CommitInput, type RefInput } from './commits.js'
import { compareCommits } from './git-fetch.js'
import { activeRepo } from './repositories.js'
import { BackgroundTasks } from './background.js'

export interface FetchOptions {
  /** One working dir for every repository, or repository name -> dir. */
  git?: string | Record<string, string>
  delayMs: number
  log: (line: string) => void
}

export class CommitFetcher {
  private tasks = new BackgroundTasks()

  constructor(private readonly options: FetchOptions) {}

  schedule(state: State, release: Release, refs: RefInput[], previous: Release | undefined): void {
    this.tasks.run(
      this.options.delayMs,
      () => this.fetch(state, release, refs, previous),
      e => this.options.log(`fetch_commits for ${release.version} failed: ${(e as Error).message}`)
    )
  }

  count(): number {
    return this.tasks.count()
  }

  settle(): Promise<void> {
    return this.tasks.settle()
  }

  private async fetch(state: State, release: Release, refs: RefInput[], previous: Release | undefined): Promise<void> {
    const org = state.orgById(release.orgId)
    const commits: CommitInput[] = []
    for (const ref of refs) {
      // The newest active repository of that name; none is "repository.missing", skipped.
      const repo = activeRepo(org, ref.repository)
      // No provider: no binding for it (KeyError), skipped; GitHub without an integration: NotImplementedError, skipped.
      if (!repo || !repo.provider || repo.integrationId === null) continue
      // The start is previousCommit, else the previous release's head commit on this very repository row.
      const start = ref.previousCommit || previous?.headCommits.get(repo.id) || null
      try {
        commits.push(...(await this.compare(repo.name, start, ref.commit)))
      } catch (e) {
        // Sentry emails the user about provider errors; the API never reports them.
        this.options.log(`fetch_commits ${repo.name} ${start ?? ''}..${ref.commit}: ${(e as Error).message.split('\n')[0]}`)
      }
    }
    // Nothing fetched changes nothing; else set_commits replaces the commits and fills missing head commits.
    if (commits.length > 0) replaceCommits(state, release, commits)
  }

  private compare(repository: string, start: string | null, end: string): Promise<CommitInput[]> {
    const { git } = this.options
    const dir = typeof git === 'string' ? git : git?.[repository]
    // Without a working dir the provider knows only the head commit itself.
    if (!dir) return Promise.resolve([{ id: end, repository }])
    return compareCommits(dir, repository, start, end)
  }
}
