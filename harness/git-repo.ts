import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

// A fixed identity and no user/system config, so the repository is the same on every machine.
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com'
}

/** A real git repository in a temp directory (async git only: tests share the process with the emulator). */
export interface TestRepo {
  dir: string
  git(...args: string[]): Promise<string>
  /** Adds an empty commit; returns its SHA. `authorDate` sets an author date older than the commit's (a rebase, a cherry-pick). */
  commit(message: string, options?: { authorDate?: string }): Promise<string>
  /** Tags HEAD (lightweight, or annotated with a message; `force` moves an existing tag); returns the tag's own object SHA. */
  tag(name: string, annotated?: boolean, force?: boolean): Promise<string>
  remove(): Promise<void>
}

export async function makeRepo(): Promise<TestRepo> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sra-repo-'))
  let counter = 0
  const git = async (...args: string[]): Promise<string> => {
    const { stdout } = await execFileAsync('git', args, { cwd: dir, env: GIT_ENV })
    return stdout.trim()
  }
  await git('init', '--quiet', '--initial-branch=main')
  return {
    dir,
    git,
    async commit(message, options = {}) {
      counter++
      // The date advances per commit so tag and commit order never depends on the clock.
      const date = new Date(Date.parse('2024-01-01T00:00:00Z') + counter * 60_000).toISOString().replace('.000Z', 'Z')
      await execFileAsync('git', ['commit', '--quiet', '--allow-empty', '-m', message], {
        cwd: dir,
        env: { ...GIT_ENV, GIT_AUTHOR_DATE: options.authorDate ?? date, GIT_COMMITTER_DATE: date }
      })
      return git('rev-parse', 'HEAD')
    },
    async tag(name, annotated = false, force = false) {
      await git('tag', ...(force ? ['--force'] : []), ...(annotated ? ['-a', '-m', `Release ${name}`] : []), name)
      return git('rev-parse', `refs/tags/${name}`)
    },
    remove: () => rm(dir, { recursive: true, force: true })
  }
}

/** A repository with `count` empty commits ('change 1', …; oldest first in `commits`) and an `origin` remote. */
export async function repoWithCommits(count: number, origin = 'https://github.com/acme/web'): Promise<TestRepo & { commits: string[] }> {
  const repo = await makeRepo()
  await repo.git('remote', 'add', 'origin', origin)
  const commits: string[] = []
  for (let i = 1; i <= count; i++) commits.push(await repo.commit(`change ${i}`))
  return { ...repo, commits }
}

/**
 * A checkout made exactly as actions/checkout (default fetch-depth: 1) makes one for a tag push: an empty repository
 * with `origin`, the tag's commit fetched alone into a local lightweight tag of that name, checked out detached.
 */
export async function checkoutLikeActions(origin: string, tag: string, commit: string): Promise<TestRepo> {
  const checkout = await fetchLikeActions(origin, `+${commit}:refs/tags/${tag}`)
  await checkout.git('checkout', '--quiet', '--force', `refs/tags/${tag}`)
  return checkout
}

/**
 * A checkout made exactly as actions/checkout (default fetch-depth: 1) makes one for a branch, e.g. the default branch
 * in a workflow_run job: the branch's commit alone as origin's branch, checked out as a local branch of that name; no tags.
 */
export async function checkoutBranchLikeActions(origin: string, branch: string, commit: string): Promise<TestRepo> {
  const checkout = await fetchLikeActions(origin, `+${commit}:refs/remotes/origin/${branch}`)
  await checkout.git('checkout', '--quiet', '--force', '-B', branch, `refs/remotes/origin/${branch}`)
  return checkout
}

/** actions/checkout's init and depth-1 fetch of one refspec, before its checkout. */
async function fetchLikeActions(origin: string, refspec: string): Promise<TestRepo> {
  const checkout = await makeRepo()
  await checkout.git('remote', 'add', 'origin', origin)
  await checkout.git('config', '--local', 'gc.auto', '0')
  await checkout.git('-c', 'protocol.version=2', 'fetch', '--no-tags', '--prune', '--no-recurse-submodules', '--depth=1', 'origin', refspec)
  return checkout
}
