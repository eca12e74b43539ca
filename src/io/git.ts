import * as core from '@actions/core'
import * as exec from '@actions/exec'
import { StringDecoder } from 'node:string_decoder'
import { CommitLogParser, countArgs, logArgs } from '../core/commit-log.js'
import type { Git } from '../core/ports.js'
import { existsSync, statSync } from 'node:fs'
import { InputError } from '../core/errors.js'
import { lowSpeedEnv, networkDeadlineMs, runWithDeadline } from './git-network.js'
import { inert } from '../core/log-text.js'

// Answers from `git describe` that mean "no matching tag", not a broken repository.
const NO_TAG_MESSAGES = ['No names found', 'No tags can describe', 'cannot describe']

// No prompt for credentials (a run would hang until the job times out); fetch errors stay on stderr (--no-progress, not --quiet).
const GIT_ENV = { GIT_TERMINAL_PROMPT: '0' }
const FETCH = ['fetch', '--no-tags', '--no-progress']

/**
 * Whether describe's failure only says that no tag matches. A broken repository (a missing object) also ends in
 * "cannot describe", after `error:` lines: that is a failure, never "no earlier tag".
 */
export function meansNoTag(stderr: string): boolean {
  const lines = stderrLines(stderr)
  return !lines.some(line => line.startsWith('error:')) && lines.some(line => NO_TAG_MESSAGES.some(message => line.includes(message)))
}

/** Why git failed, for a person: its first `fatal:`/`error:` line (a warning or hint may come first), else the first line. */
export function gitFailureReason(stderr: string, exitCode: number): string {
  const lines = stderrLines(stderr)
  return lines.find(line => /^(fatal|error):/.test(line)) ?? lines[0] ?? `exit code ${exitCode}`
}

/** git's stderr as its non-empty lines, trimmed. */
function stderrLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
}

const DEBUG_OUTPUT_CHARS = 200

/** Debug line of one git command: its arguments, exit code, time, and the start of what it printed. */
export function gitDebugText(args: string[], result: exec.ExecOutput, ms: number): string {
  const short = (text: string): string => inert(text.trim().replace(/\s*\n\s*/g, ' | '), DEBUG_OUTPUT_CHARS)
  const stdout = short(result.stdout)
  const stderr = result.exitCode === 0 ? '' : short(result.stderr)
  return `git ${args.join(' ')} -> exit ${result.exitCode} in ${ms} ms${stdout ? `: ${stdout}` : ''}${stderr ? ` (stderr: ${stderr})` : ''}`
}

/**
 * Git over @actions/exec: argument arrays, no shell, and input values placed after --end-of-options or as --opt=value.
 * Commands that talk to a remote (ls-remote, fetch) run with a deadline (git-network.ts); after one ends at it, later
 * ones fail at once with the same reason, so a remote that does not answer costs one deadline per run.
 */
export function createGit(workingDirectory: string, networkDeadline = networkDeadlineMs()): Git {
  const execOptions = (): exec.ExecOptions => ({
    cwd: workingDirectory,
    silent: true,
    ignoreReturnCode: true,
    env: { ...process.env, ...GIT_ENV } as Record<string, string>
  })
  function checkDirectory(): void {
    if (!existsSync(workingDirectory)) throw new InputError('working_directory', `${workingDirectory} does not exist`)
    if (!statSync(workingDirectory).isDirectory())
      throw new InputError('working_directory', `${workingDirectory} is a file, not a directory`)
  }
  async function git(args: string[], input?: Buffer): Promise<exec.ExecOutput> {
    checkDirectory()
    let result: exec.ExecOutput
    const started = Date.now()
    try {
      result = await exec.getExecOutput('git', args, { ...execOptions(), input })
    } catch (error) {
      throw new Error(`Cannot run git in ${workingDirectory}: ${(error as Error).message}`)
    }
    core.debug(gitDebugText(args, result, Date.now() - started))
    return result
  }
  async function output(args: string[], input?: Buffer): Promise<string> {
    const result = await git(args, input)
    if (result.exitCode !== 0) throw failure(args, result)
    return result.stdout.trim()
  }
  let remoteGaveUp: string | undefined
  /** A command that talks to a remote: its output, else a failure; the deadline ends it, and every later one at once. */
  async function network(args: string[]): Promise<string> {
    if (remoteGaveUp) throw new Error(remoteGaveUp)
    checkDirectory()
    const env = { ...process.env, ...GIT_ENV, ...lowSpeedEnv(process.env) } as Record<string, string>
    const started = Date.now()
    const result = await runWithDeadline('git', args, { cwd: workingDirectory, env, deadlineMs: networkDeadline }).catch((error: Error) => {
      throw new Error(`Cannot run git in ${workingDirectory}: ${error.message}`)
    })
    core.debug(gitDebugText(args, result, Date.now() - started))
    if (result.ended) {
      remoteGaveUp = `git ${args[0]} ${result.ended}, so no further fetch is tried`
      throw new Error(remoteGaveUp)
    }
    if (result.exitCode !== 0) throw failure(args, result)
    return result.stdout.trim()
  }
  function failure(args: string[], result: exec.ExecOutput): Error {
    // git's words may quote what a remote sent (`remote: …`): one line, bounded, inert.
    const reason = inert(gitFailureReason(result.stderr, result.exitCode), 300)
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
      // --candidates=1: the first matching tag met in git's newest-first (commit date) walk from `commit`, i.e. the most
      // recently committed tagged ancestor. Without it, describe looks for up to 10 candidates to pick the one with the
      // fewest commits in between (after merges that can be an older tag), and with lightweight tags and fewer than 10
      // matches it walks the whole history (hundreds of ms on 100,000 commits, against a few; docs/performance.md).
      const args = ['describe', '--tags', '--abbrev=0', '--candidates=1', `--match=${pattern}`, '--end-of-options', commit]
      const result = await git(args)
      if (result.exitCode === 0) return result.stdout.trim()
      if (meansNoTag(result.stderr)) return undefined
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
      let commits = 0
      const parser = new CommitLogParser(commit => {
        commits++
        onCommit(commit)
      })
      const decoder = new StringDecoder('utf8')
      let stderr = ''
      const args = logArgs(query)
      const started = Date.now()
      const exitCode = await exec.exec('git', args, {
        ...execOptions(),
        listeners: { stdout: chunk => parser.push(decoder.write(chunk)), stderr: chunk => (stderr += chunk.toString()) }
      })
      parser.push(decoder.end())
      parser.end()
      core.debug(gitDebugText(args, { exitCode, stdout: `(${commits} commits streamed)`, stderr }, Date.now() - started))
      if (exitCode !== 0) throw failure(args, { exitCode, stdout: '', stderr })
    },
    async hasRemote(name) {
      return (await output(['remote'])).split('\n').includes(name)
    },
    async listTags(pattern) {
      const args = ['tag', '--list', ...(pattern === undefined ? [] : ['--end-of-options', pattern])]
      return (await output(args)).split('\n').filter(Boolean)
    },
    async remoteTags(remote, pattern) {
      // ls-remote matches `*/<pattern>` against `/<ref>`: `refs/tags/` anchors the glob to the tag name, as describe --match does.
      const args = ['ls-remote', '--tags', '--end-of-options', remote, `refs/tags/${pattern}`, `refs/tags/${pattern}^{}`]
      const tags = new Map<string, string>()
      for (const line of (await network(args)).split('\n').filter(Boolean)) {
        const [id, ref] = line.split('\t')
        const name = ref.slice('refs/tags/'.length)
        // An annotated tag's own line comes first, its peeled `^{}` line (the commit) after it.
        tags.set(name.replace(/\^\{\}$/, ''), id)
      }
      return tags
    },
    async presentCommits(ids) {
      if (ids.length === 0) return new Set()
      const stdin = Buffer.from(ids.join('\n') + '\n')
      const lines = (await output(['cat-file', '--batch-check=%(objectname) %(objecttype)'], stdin)).split('\n')
      return new Set(lines.filter(line => line.endsWith(' commit')).map(line => line.split(' ')[0]))
    },
    async fetchTags(remote, tags) {
      if (tags.length > 0) await network([...FETCH, '--end-of-options', remote, ...tags.map(tag => `+refs/tags/${tag}:refs/tags/${tag}`)])
    },
    async deepen(remote, commit, commits) {
      await network([...FETCH, `--deepen=${commits}`, '--end-of-options', remote, commit])
    },
    async fetchCommit(remote, commit, depth) {
      await network([...FETCH, ...(depth === undefined ? [] : [`--depth=${depth}`]), '--end-of-options', remote, commit])
    }
  }
}
