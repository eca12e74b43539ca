import * as exec from '@actions/exec'

/** Every git question the action asks, one method each; tests can swap in a fake. */
export interface Git {
  /** The commit a revision points to (annotated tags peeled), or undefined when there is none. */
  commitOf(revision: string): Promise<string | undefined>
  /** The nearest tag matching the glob that is reachable from the commit, or undefined. */
  nearestTag(commit: string, pattern: string): Promise<string | undefined>
  /** Whether the checkout is shallow, so history and tags may be missing. */
  isShallow(): Promise<boolean>
}

// Answers from `git describe` that mean "no matching tag", not a broken repository.
const NO_TAG_MESSAGES = ['No names found', 'No tags can describe', 'cannot describe']

/** Git over @actions/exec: argument arrays, no shell, and input values placed after --end-of-options or as --opt=value. */
export function createGit(workingDirectory: string): Git {
  async function git(args: string[]): Promise<exec.ExecOutput> {
    try {
      return await exec.getExecOutput('git', args, { cwd: workingDirectory, silent: true, ignoreReturnCode: true })
    } catch (error) {
      throw new Error(`Cannot run git in ${workingDirectory}: ${(error as Error).message}`)
    }
  }
  function failure(args: string[], result: exec.ExecOutput): Error {
    const reason = result.stderr.trim().split('\n')[0] || `exit code ${result.exitCode}`
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
      const args = ['rev-parse', '--is-shallow-repository']
      const result = await git(args)
      if (result.exitCode !== 0) throw failure(args, result)
      return result.stdout.trim() === 'true'
    }
  }
}
