import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ACTION_BUNDLE, actionNode } from './action-node.js'
import { measured, parseTimeReport, type Usage } from './measure.js'
import { runnerEnv, type RunnerEvent } from './runner-env.js'
import { assertNoSecretLeak } from './secret-scan.js'

export interface RunActionOptions extends RunnerEvent {
  /** Inputs by action.yml name, passed as INPUT_<NAME> like the runner does. */
  inputs: Record<string, string>
  /** The checkout: GITHUB_WORKSPACE and the process's cwd. */
  workspace: string
  /** Extra environment (e.g. SENTRY_AUTH_TOKEN). */
  env?: Record<string, string>
  /** Measure the run from outside with GNU time (measure.ts): its wall time and peak memory are in `usage`. */
  measure?: boolean
}

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  /** GITHUB_OUTPUT parsed. */
  outputs: Record<string, string>
  /** The GITHUB_STEP_SUMMARY file's content. */
  summary: string
  /** GITHUB_OUTPUT exactly as written. */
  rawOutputFile: string
  /** Wall time and peak memory, when the run was measured. */
  usage?: Usage
}

/**
 * Runs the bundled action (`node dist/index.js`) as the runner would: its node (24), environment, files and payload.
 * Every run is scanned for its token (stdout, stderr, GITHUB_OUTPUT, summary): a leak fails the test.
 */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const temp = await mkdtemp(path.join(tmpdir(), 'sra-run-'))
  try {
    const { inputs, workspace, env: extra, measure, ...event } = options
    // Retries back off from 10 ms, not the action's seconds (SENTRY_RELEASE_ACTION_RETRY_BASE_MS, a test hook).
    const env = { SENTRY_RELEASE_ACTION_RETRY_BASE_MS: '10', ...extra }
    const { env: runner, files } = await runnerEnv({ ...event, inputs, workspace, tempDir: temp, env })
    const report = path.join(temp, 'time.txt')
    const { code, stdout, stderr } = await spawnNode(runner, workspace, measure ? report : undefined)
    const usage = measure ? parseTimeReport(await readFile(report, 'utf8')) : undefined
    const rawOutputFile = await readFile(files.GITHUB_OUTPUT, 'utf8')
    const summary = await readFile(files.GITHUB_STEP_SUMMARY, 'utf8')
    assertNoSecretLeak({ stdout, stderr, GITHUB_OUTPUT: rawOutputFile, GITHUB_STEP_SUMMARY: summary }, [
      inputs.auth_token,
      extra?.SENTRY_AUTH_TOKEN
    ])
    return { code, stdout, stderr, outputs: parseOutputFile(rawOutputFile), summary, rawOutputFile, usage }
  } finally {
    await rm(temp, { recursive: true, force: true })
  }
}

function spawnNode(env: Record<string, string>, cwd: string, timeReport?: string): Promise<ProcessRun> {
  // Node 24 where it is installed, as the runner runs the action (action.yml: node24).
  if (!timeReport) return runProcess(actionNode(), [ACTION_BUNDLE], env, cwd)
  const { command, args } = measured(actionNode(), [ACTION_BUNDLE], timeReport)
  return runProcess(command, args, env, cwd)
}

export interface ProcessRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a command to its end, collecting what it prints. */
export function runProcess(command: string, args: string[], env: Record<string, string>, cwd: string): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout, stderr }))
  })
}

/** The runner's GITHUB_OUTPUT format: `name<<DELIMITER\nvalue\nDELIMITER\n` per output. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const pattern = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm
  for (const [, name, , value] of text.matchAll(pattern)) outputs[name] = value
  return outputs
}

/** The ::notice::/::warning::/::error:: workflow commands of a run (with or without a title), as [kind, message]. */
export function annotations(stdout: string): Array<[string, string]> {
  return annotationsWithTitles(stdout).map(([kind, message]) => [kind, message])
}

/**
 * The annotations of a run as [kind, message, title], unescaped as the runner shows them; title '' when there is none.
 * Properties escape ':' and ',' too.
 */
export function annotationsWithTitles(stdout: string): Array<[string, string, string]> {
  return [...stdout.matchAll(/^::(notice|warning|error)(?: ([^:]*))?::(.*)$/gm)].map(([, kind, properties = '', message]) => {
    const title = /(?:^|,)title=([^,]*)/.exec(properties)?.[1] ?? ''
    return [kind, unescapeCommandData(message), unescapeCommandData(title.replace(/%3A/g, ':').replace(/%2C/g, ','))]
  })
}

/** The runner's reading of a workflow command's data: %0D, %0A and %25 back to CR, LF and %. */
function unescapeCommandData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}
