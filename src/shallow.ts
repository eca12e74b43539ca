import type { Git } from './git.js'

// actions/checkout leaves `origin` pointing at the repository, with a token that can fetch.
const REMOTE = 'origin'
const FIRST_DEEPEN = 50
/** Deepening stops once this many commits were asked for in total (50 + 100 + ... + 6400 = 12,750). */
const DEEPEN_BOUND = 10_000

/** Growing steps of history to fetch: 50, 100, 200, ... until their sum reaches the bound. */
export function deepenSteps(first = FIRST_DEEPEN, bound = DEEPEN_BOUND): number[] {
  const steps: number[] = []
  for (let step = first, total = 0; total < bound; total += step, step *= 2) steps.push(step)
  return steps
}

/** Fetches missing history one step at a time: tags first, then deeper history while the checkout is shallow. */
export interface HistoryFetcher {
  /** Fetches the next step; false when there is nothing more to fetch (complete history, no origin, or the bound). */
  more(): Promise<boolean>
  /** Whether tags were fetched from origin already. */
  readonly tagsFetched: boolean
}

export function historyFetcher(git: Git, head: () => string | undefined, log: (line: string) => void): HistoryFetcher {
  const steps = deepenSteps()
  let tagsFetched = false
  let hasOrigin: boolean | undefined
  return {
    get tagsFetched() {
      return tagsFetched
    },
    async more() {
      hasOrigin ??= await git.hasRemote(REMOTE)
      if (!hasOrigin) return false
      if (!tagsFetched) {
        tagsFetched = true
        const before = (await git.listTags()).length
        await git.fetchTags(REMOTE)
        log(`Fetched tags from ${REMOTE}: ${(await git.listTags()).length - before} new.`)
        return true
      }
      const step = steps.shift()
      if (step === undefined || !(await git.isShallow())) return false
      await git.deepen(REMOTE, step)
      const commit = head()
      const depth = commit ? ` (${await git.countCommits({ head: commit, paths: [] })} commits of history now)` : ''
      log(`Fetched ${step} more commits of history from ${REMOTE}: the checkout is shallow${depth}.`)
      return true
    }
  }
}

/** Asks `find` again after each fetch step until it answers or nothing more can be fetched. */
export async function findWithHistory<T>(fetcher: HistoryFetcher, find: () => Promise<T | undefined>): Promise<T | undefined> {
  for (;;) {
    const found = await find()
    if (found !== undefined || !(await fetcher.more())) return found
  }
}
