import * as exec from '@actions/exec'
import { StringDecoder } from 'node:string_decoder'
import { CommitLogParser, countArgs, type GitCommit, logArgs, type LogQuery } from './commit-log.js'
import { existsSync } from 'node:fs'
import { InputError } from './errors.js'

/** Every git question the action asks, one method each; tests can swap in a fake. */
export interface Git {
  /** The commit a revision points to (annotated tags peeled), or undefined when there is none. */
  commitOf(revision: string): Promise<string | undefined>
  /** The nearest tag matching the glob that is reachable from the commit, or undefined. */
  nearestTag(commit: string, pattern: string): Promise<string | undefined>
  /** Whether the checkout is shallow, so history and tags may be missing. */
  isShallow(): Promise<boolean>
  /** Whether `ancestor` is reachable from `descendant` in the local history. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>
  /** How many commits the query selects. */
  countCommits(query: LogQuery): Promise<number>
  /** Streams the query's commits, newest first, to `onCommit` as git writes them. */
  readCommits(query: LogQuery, onCommit: (commit: GitCommit) => void): Promise<void>
  /** Whether a remote of that name is configured. */
  hasRemote(name: string): Promise<boolean>
  /** Local tag names matching the glob (all tags without one). */
  listTags(pattern?: string): Promise<string[]>
  /** `git fetch --tags` from the remote. */
  fetchTags(remote: string): Promise<void>
  /** `git fetch --deepen=<commits>` from the remote: more history behind the shallow boundary. */
  deepen(remote: string, commits: number): Promise<void>
}

// Answers from `git describe` that mean "no matching tag", not a broken repository.
const NO_TAG_MESSAGES = ['No names found', 'No tags can describe', 'cannot describe']

/** Git over @actions/exec: argument arrays, no shell, and input values placed after --end-of-options or as --opt=value. */
export function createGit(workingDirectory: string): Git {
  async function git(args: string[]): Promise<exec.ExecOutput> {
    if (!existsSync(workingDirectory)) throw new InputError('working_directory', `${workingDirectory} does not exist`)
    try {
      return await exec.getExecOutput('git', args, { cwd: workingDirectory, silent: true, ignoreReturnCode: true })
    } catch (error) {
      throw new Error(`Cannot run git in ${workingDirectory}: ${(error as Error).message}`)
    }
  }
  async function output(args: string[]): Promise<string> {
    const result = await git(args)
    if (result.exitCode !== 0) throw failure(args, result)
    return result.stdout.trim()
  }
  function failure(args: string[], result: exec.ExecOutput): Error {
    const reason = result.stderr.trim().split('\n')[0] || `exit code ${result.exitCode}`
    if (/not a git repository/i.test(reason)) {
      return new InputError('working_directory', `${workingDirectory} is not a git checkout (run actions/checkout first)`)
    }
    return new Error(`git ${args[0]} failed in ${workingDirectory}: ${reason}`)
  }

  return {
    async commitOf(revision) {
      const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]
      const result = await git(args)
      if (result.exitCode === 0) return result.stdout.trim()
      if (result.exitCode === 1) return undefined
      throw failure(args, result)
    },
    async nearestTag(commit, pattern) {
      const args = ['describe', '--tags', '--abbrev=0', `--match=${pattern}`, '--end-of-options', commit]
      const result = await git(args)
      if (result.exitCode === 0) return result.stdout.trim()
      if (NO_TAG_MESSAGES.some(message => result.stderr.includes(message))) return undefined
      throw failure(args, result)
    },
    async isShallow() {
      return (await output(['rev-parse', '--is-shallow-repository'])) === 'true'
    },
    async isAncestor(ancestor, descendant) {
      const result = await git(['merge-base', '--is-ancestor', '--end-of-options', ancestor, descendant])
      return result.exitCode === 0
    },
    async countCommits(query) {
      return Number(await output(countArgs(query)))
    },
    async readCommits(query, onCommit) {
      // Streamed: exec's stdout listener gets each chunk as git writes it, so only one record is ever held as text.
      const parser = new CommitLogParser(onCommit)
      const decoder = new StringDecoder('utf8')
      let stderr = ''
      const args = logArgs(query)
      const exitCode = await exec.exec('git', args, {
        cwd: workingDirectory,
        silent: true,
        ignoreReturnCode: true,
        listeners: { stdout: chunk => parser.push(decoder.write(chunk)), stderr: chunk => (stderr += chunk.toString()) }
      })
      parser.push(decoder.end())
      parser.end()
      if (exitCode !== 0) throw failure(args, { exitCode, stdout: '', stderr })
    },
    async hasRemote(name) {
      return (await output(['remote'])).split('\n').includes(name)
    },
    async listTags(pattern) {
      const args = ['tag', '--list', ...(pattern === undefined ? [] : ['--end-of-options', pattern])]
      return (await output(args)).split('\n').filter(Boolean)
    },
    async fetchTags(remote) {
      await output(['fetch', '--quiet', '--tags', '--end-of-options', remote])
    },
    async deepen(remote, commits) {
      await output(['fetch', '--quiet', `--deepen=${commits}`, '--end-of-options', remote])
    }
  }
}
