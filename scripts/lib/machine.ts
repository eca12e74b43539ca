// What the figures were measured on, and what each contender weighs on disk.
import { execFile } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import { cpus, release, type } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

async function versionOf(file: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(file, args)
  return stdout.trim()
}

/** "Intel(R) Xeon(R) Processor, 2 cores, Linux 6.1, node v20.20.2, git version 2.39.5, sentry-cli 3.8.0". */
export async function describeMachine(sentryCli: string): Promise<string> {
  const cpu = cpus()
  return [
    `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores`,
    `${type()} ${release()}`,
    `node ${process.version}`,
    await versionOf('git', ['--version']),
    await versionOf(sentryCli, ['--version'])
  ].join(', ')
}

/** Total size of the files under a directory (or of one file). */
export async function bytesOf(path: string): Promise<number> {
  const info = await stat(path)
  if (!info.isDirectory()) return info.size
  const entries = await readdir(path)
  const sizes = await Promise.all(entries.map(entry => bytesOf(join(path, entry))))
  return sizes.reduce((a, b) => a + b, 0)
}
