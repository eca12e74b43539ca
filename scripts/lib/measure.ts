// Runs a command as a child process and measures what it cost: wall time, peak RSS, HTTP requests.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { canMeasure, GNU_TIME } from '../../harness/measure.js'

const CONTROL_TIMEOUT_MS = 5_000

export interface RunOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** The child's process group is killed after this long. Default 120 s. */
  timeoutMs?: number
  /** Wrap in GNU time for peak RSS (its own fork and exec add about a millisecond). Default true. */
  peakRss?: boolean
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
  wallMs: number
  /** Largest resident set of the command or any child it waited for (GNU time %M); null without GNU time. */
  peakRssKiB: number | null
}

export interface RequestRecord {
  method: string
  path: string
  status: number
}

export interface Measurement extends RunResult {
  /** Requests the emulator received while the command ran. */
  requests: RequestRecord[]
  /** New connections the command opened through the simulated network (unset on loopback). */
  connections?: number
  /** Per such connection, the request lines it carried. */
  connectionRequests?: string[][]
}

/** Reads the emulator's request log over its control route (works for an emulator in another process too). */
export async function requestLog(emulatorUrl: string): Promise<RequestRecord[]> {
  const response = await fetch(`${emulatorUrl}/__emulator/requests`, { signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) })
  if (!response.ok) throw new Error(`emulator request log: HTTP ${response.status}`)
  const log = (await response.json()) as RequestRecord[]
  return log.map(({ method, path, status }) => ({ method, path, status }))
}

/** "12.34 56789" (possibly after a "Command exited with non-zero status" line) -> peak RSS in KiB. */
export function parseGnuTime(text: string): number | null {
  const last = text.trim().split('\n').at(-1) ?? ''
  const match = /^\d+\.\d+ (\d+)$/.exec(last)
  return match ? Number(match[1]) : null
}

/** Runs `command args`, wrapped in GNU time when present; wall time is measured here, at sub-millisecond resolution. */
export async function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const timeDir = options.peakRss !== false && canMeasure() ? await mkdtemp(join(tmpdir(), 'measure-')) : undefined
  const timeFile = timeDir && join(timeDir, 'time')
  const [file, argv] = timeFile ? [GNU_TIME, ['-f', '%e %M', '-o', timeFile, command, ...args]] : [command, args]
  const start = process.hrtime.bigint()
  const child = spawn(file, argv, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const timer = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), options.timeoutMs ?? 120_000)
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', resolve)
    })
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6
    const peakRssKiB = timeFile ? parseGnuTime(await readFile(timeFile, 'utf8').catch(() => '')) : null
    return { code, stdout, stderr, wallMs, peakRssKiB }
  } finally {
    clearTimeout(timer)
    if (timeDir) await rm(timeDir, { recursive: true, force: true })
  }
}

/** `run`, plus the requests the emulator at `emulatorUrl` logged meanwhile (a diff of its request log). */
export async function measure(command: string, args: string[], emulatorUrl: string, options: RunOptions = {}): Promise<Measurement> {
  const before = (await requestLog(emulatorUrl)).length
  const result = await run(command, args, options)
  const requests = (await requestLog(emulatorUrl)).slice(before)
  return { ...result, requests }
}
