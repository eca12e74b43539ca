// git commands that talk to origin (ls-remote, fetch) get a deadline. @actions/exec has none and gives no hold on the
// process it starts (no signal, no pid), so these few commands run over node's spawn: in a process group of their own
// (POSIX), which the deadline ends whole, git's transport helpers (git-remote-https, ssh) included. For http(s) remotes,
// curl's low-speed limit ends a connection that stays silent sooner, with git's own message.
import { spawn } from 'node:child_process'
import { StringDecoder } from 'node:string_decoder'

/** Deadline of one git command that talks to origin. Internal: tests shorten it with SENTRY_RELEASE_ACTION_GIT_DEADLINE_MS. */
export function networkDeadlineMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number.parseInt(env.SENTRY_RELEASE_ACTION_GIT_DEADLINE_MS ?? '', 10)
  return value > 0 ? value : 300_000
}

/**
 * curl's low-speed limit for git over http(s) (http.lowSpeedLimit/lowSpeedTime): less than 1 byte a second for 60 s
 * ends the command. A server preparing a pack sends keep-alives every 5 s (uploadpack.keepAlive), so only a silent
 * one is cut. Values already set in the environment are kept.
 */
export function lowSpeedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return { GIT_HTTP_LOW_SPEED_LIMIT: env.GIT_HTTP_LOW_SPEED_LIMIT || '1', GIT_HTTP_LOW_SPEED_TIME: env.GIT_HTTP_LOW_SPEED_TIME || '60' }
}

/** The most of a network command's output that is kept (a remote listing millions of tags is not a real repository's). */
const MAX_OUTPUT_CHARS = 32 * 1024 * 1024

export interface BoundedRun {
  exitCode: number
  stdout: string
  stderr: string
  /** Why the command was ended before it finished (the deadline, too much output); undefined when it finished. */
  ended?: string
}

/** Runs a command to its end or its deadline, whichever comes first; never rejects for the command's own failure. */
export function runWithDeadline(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; deadlineMs: number }
): Promise<BoundedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: ending it ends git's helpers too. No console window on Windows.
      detached: process.platform !== 'win32',
      windowsHide: true
    })
    const out = new StringDecoder('utf8')
    const err = new StringDecoder('utf8')
    let stdout = ''
    let stderr = ''
    let ended: string | undefined
    const end = (why: string): void => {
      if (ended) return
      ended = why
      try {
        if (process.platform === 'win32' || child.pid === undefined) child.kill('SIGKILL')
        else process.kill(-child.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    const timer = setTimeout(() => end(`did not finish within ${options.deadlineMs / 1000} s`), options.deadlineMs)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += out.write(chunk)
      if (stdout.length > MAX_OUTPUT_CHARS) end(`printed more than ${MAX_OUTPUT_CHARS / 1024 / 1024} MiB`)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_OUTPUT_CHARS) stderr += err.write(chunk)
    })
    child.on('error', error => {
      clearTimeout(timer)
      reject(error)
    })
    // 'close' waits for the pipes; a helper outside the group (Windows) could hold them, so an ended command settles at 'exit'.
    const settle = (code: number | null): void => {
      clearTimeout(timer)
      resolve({ exitCode: code ?? 1, stdout: ended ? '' : stdout + out.end(), stderr: stderr + err.end(), ended })
    }
    child.on('exit', code => {
      if (ended) settle(code)
    })
    child.on('close', code => settle(code))
  })
}
