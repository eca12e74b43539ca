import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import * as core from '../../__fixtures__/core.js'
import { makeRepo, type TestRepo } from '../../harness/git-repo.js'
import { byteASecondGitRemote, type HostileServer, silent, startHostileServer } from '../helpers/hostile-server.js'

jest.unstable_mockModule('@actions/core', () => core)
const { lowSpeedEnv, networkDeadlineMs, runWithDeadline } = await import('../../src/io/git-network.js')
const { createGit } = await import('../../src/io/git.js')

// A git remote over http on 127.0.0.1 that accepts and never answers, and one that answers a byte a second: the commands
// that talk to it end at their deadline, and the rest of the run does not wait for it again.

/** Whether a process runs: not gone, and not a zombie left for a parent that does not reap (a container's PID 1). */
async function isRunning(pid: number): Promise<boolean> {
  if (!existsSync('/proc')) {
    try {
      return process.kill(pid, 0)
    } catch {
      return false
    }
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
  return stat !== '' && !/^\d+ \(.*\) [ZX]/.test(stat)
}

const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' }

describe('runWithDeadline', () => {
  test('a command that finishes: its exit code and output', async () => {
    const run = await runWithDeadline('sh', ['-c', 'echo out; echo err >&2; exit 3'], { cwd: '/', env, deadlineMs: 5000 })
    expect(run).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', ended: undefined })
  })

  test('the deadline ends the command and what it started (its process group), at once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sra-deadline-'))
    try {
      const started = Date.now()
      // The grandchild holds the pipes: only ending the whole group lets the run settle.
      const script = `sleep 30 & echo $! > ${dir}/pid; sleep 30`
      const run = await runWithDeadline('sh', ['-c', script], { cwd: '/', env, deadlineMs: 300 })
      expect(run.ended).toBe('did not finish within 0.3 s')
      expect(Date.now() - started).toBeLessThan(3000)
      const grandchild = Number(await readFile(path.join(dir, 'pid'), 'utf8'))
      await new Promise(resolve => setTimeout(resolve, 100))
      expect(await isRunning(grandchild)).toBe(false)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('output beyond 32 MiB ends the command', async () => {
    const run = await runWithDeadline('sh', ['-c', 'yes 0123456789abcdef'], { cwd: '/', env, deadlineMs: 20_000 })
    expect([run.ended, run.stdout]).toEqual(['printed more than 32 MiB', ''])
  })

  test('the deadline is 300 s, shortened only by the internal test variable; the low-speed limit keeps values set', () => {
    expect(networkDeadlineMs({})).toBe(300_000)
    expect(networkDeadlineMs({ SENTRY_RELEASE_ACTION_GIT_DEADLINE_MS: '1500' })).toBe(1500)
    expect(lowSpeedEnv({})).toEqual({ GIT_HTTP_LOW_SPEED_LIMIT: '1', GIT_HTTP_LOW_SPEED_TIME: '60' })
    expect(lowSpeedEnv({ GIT_HTTP_LOW_SPEED_TIME: '5' })).toEqual({ GIT_HTTP_LOW_SPEED_LIMIT: '1', GIT_HTTP_LOW_SPEED_TIME: '5' })
  })
})

describe('git against an origin that does not answer', () => {
  let repo: TestRepo
  let silentOrigin: HostileServer
  let slowOrigin: HostileServer
  beforeAll(async () => {
    const origins = [startHostileServer(silent), startHostileServer(byteASecondGitRemote())]
    ;[repo, silentOrigin, slowOrigin] = await Promise.all([makeRepo(), ...origins])
    await repo.commit('first')
  })
  afterAll(async () => {
    await Promise.all([silentOrigin.stop(), slowOrigin.stop(), repo.remove()])
  })

  test('ls-remote to a silent origin ends at the deadline; a later fetch fails at once with the same reason', async () => {
    const git = createGit(repo.dir, 1500)
    const started = Date.now()
    const deadline = 'git ls-remote did not finish within 1.5 s, so no further fetch is tried'
    await expect(git.remoteTags(`${silentOrigin.url}/acme/web.git`, 'v*')).rejects.toThrow(deadline)
    expect(Date.now() - started).toBeLessThan(5000)
    const asked = silentOrigin.requests.length
    expect(asked).toBeGreaterThan(0)
    await expect(git.deepen(`${silentOrigin.url}/acme/web.git`, 'HEAD', 50)).rejects.toThrow(deadline)
    expect(silentOrigin.requests.length).toBe(asked)
  })

  test('fetch from an origin answering a byte a second ends at the deadline', async () => {
    const git = createGit(repo.dir, 2000)
    const started = Date.now()
    await expect(git.fetchCommit(`${slowOrigin.url}/acme/web.git`, 'a'.repeat(40))).rejects.toThrow(
      'git fetch did not finish within 2 s, so no further fetch is tried'
    )
    expect(Date.now() - started).toBeLessThan(6000)
    expect(slowOrigin.written.bytes).toBeGreaterThan(0)
  })

  test("curl's low-speed limit ends a silent connection first, with git's own words", async () => {
    const saved = process.env.GIT_HTTP_LOW_SPEED_TIME
    process.env.GIT_HTTP_LOW_SPEED_TIME = '1'
    try {
      const started = Date.now()
      await expect(createGit(repo.dir, 20_000).remoteTags(`${silentOrigin.url}/acme/web.git`, 'v*')).rejects.toThrow(
        /^git ls-remote failed in .+: fatal: unable to access '.+': Operation too slow/
      )
      expect(Date.now() - started).toBeLessThan(10_000)
    } finally {
      if (saved === undefined) delete process.env.GIT_HTTP_LOW_SPEED_TIME
      else process.env.GIT_HTTP_LOW_SPEED_TIME = saved
    }
  })
})
