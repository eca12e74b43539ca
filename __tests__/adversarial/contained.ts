import { afterAll, beforeAll, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { parse } from 'yaml'
import { tagPushPayload } from '../../harness/events.js'
import { makeRepo, type TestRepo } from '../../harness/git-repo.js'
import type { HostileHandler } from '../helpers/hostile-server.js'
import { canMeasure } from '../../harness/measure.js'
import { type ActionRun, annotations, runAction, type RunActionOptions } from '../../harness/run-action.js'

// What every adversarial case asserts, whatever the attack: the run ends as the runner expects (exit code, exactly the
// annotations planned, one ::error:: line for a failure), nothing on stderr, no stack trace, no workflow command but
// the action's own, no output action.yml does not declare, and bounded wall time and peak memory, measured from outside.
// The token never shows anywhere: runAction's secret scan fails the run's test otherwise.

/** An org token whose secret the secret scan looks for in 8-character pieces. */
export const TOKEN = `sntrys_${Buffer.from(JSON.stringify({ org: 'acme' })).toString('base64')}_HostileSuiteSecret0123456789abcdefXYZ`

const DECLARED_OUTPUTS = Object.keys((parse(readFileSync('action.yml', 'utf8')) as { outputs: Record<string, unknown> }).outputs)

/** Commands the runner takes from the action's stdout that the action itself may write (core's own lines). */
const OWN_COMMANDS = new Set(['error', 'warning', 'notice', 'group', 'endgroup', 'debug'])

/**
 * The workflow commands the runner would read in stdout (actions/runner, ActionCommandManager.TryProcessCommand): a
 * line starting with '::' after leading whitespace, else one holding '##[' anywhere (the older form, tried only when
 * the first does not parse); lines end at LF, CR or CRLF. Every command name counts, known to the runner or not.
 */
export function workflowCommands(stdout: string): Array<{ command: string; line: number; text: string }> {
  const found: Array<{ command: string; line: number; text: string }> = []
  stdout.split(/\r\n|\r|\n/).forEach((text, line) => {
    const v2 = /^::([^ :]+)/.exec(text.trimStart())
    const legacy = /##\[([^\] ]+)/.exec(text)
    if (v2 && text.trimStart().indexOf('::', 2) > 0) found.push({ command: v2[1].toLowerCase(), line, text })
    else if (legacy) found.push({ command: `##[${legacy[1].toLowerCase()}`, line, text })
  })
  return found
}

export interface Contained {
  code: number
  /** Annotations of each kind the case plans; 1 error for a failure, none for a success unless said. */
  errors?: number
  warnings?: number
  notices?: number
  /** A failure after the release was updated still sets its outputs (a deploy that could not be recorded). */
  keepsOutputs?: boolean
  /** Bounds measured from outside (defaults: 8 s, 150 MiB; a run takes some 0.5 s and 70 MiB). */
  maxWallMs?: number
  maxRssMb?: number
}

/** Asserts what every adversarial run must hold; returns the one error's text ('' when none). */
export function expectContained(run: ActionRun, expected: Contained): string {
  const { code, errors = code === 0 ? 0 : 1, warnings = 0, notices = 0, keepsOutputs = false, maxWallMs = 8000, maxRssMb = 150 } = expected
  // The whole log shows when the code is not the one planned.
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code, stdout: run.stdout })
  expect(run.stderr).toBe('')
  // A stack trace's frames, or node's own report of an uncaught error.
  expect(run.stdout).not.toMatch(/^\s+at .+:\d+:\d+\)?$|node:internal|Uncaught|^\w*Error: /m)
  const commands = workflowCommands(run.stdout)
  // The token's masks open the log; any later mask, output, state, env or stop command came from outside.
  const masks = commands.filter(({ command }) => command === 'add-mask')
  expect(masks.map(({ line }) => line)).toEqual(masks.map((_, index) => index))
  expect(commands.filter(({ command }) => command !== 'add-mask' && !OWN_COMMANDS.has(command))).toEqual([])
  const kinds = annotations(run.stdout).map(([kind]) => kind)
  const count = (kind: string): number => kinds.filter(seenKind => seenKind === kind).length
  expect({ errors: count('error'), warnings: count('warning'), notices: count('notice') }).toEqual({ errors, warnings, notices })
  expect(Object.keys(run.outputs).filter(name => !DECLARED_OUTPUTS.includes(name))).toEqual([])
  if (code !== 0 && !keepsOutputs) expect(run.outputs).toEqual({})
  if (run.usage) {
    expect(run.usage.wallMs).toBeLessThan(maxWallMs)
    expect(run.usage.peakRssMb).toBeLessThan(maxRssMb)
  }
  return annotations(run.stdout).find(([kind]) => kind === 'error')?.[1] ?? ''
}

// Inputs of every case unless it says otherwise: one project (the create goes first), no commits, a short deadline.
const DEFAULT_INPUTS = { projects: 'web', set_commits: 'skip', request_timeout: '1' }

/** A repository with tags v1.0.0 and v1.1.0 (one commit between them), for tag pushes. */
export interface AdversarialRepo {
  repo: TestRepo
  commits: string[]
  /**
   * Runs the bundle, measured, for a push of tag v1.1.0 unless `options` say otherwise. Inputs: the token, org acme,
   * project web, the given Sentry, set_commits skip and request_timeout 1, unless `inputs` say otherwise.
   */
  pushTag(sentryUrl: string, inputs?: Record<string, string>, options?: Partial<RunActionOptions>): Promise<ActionRun>
}

export function useAdversarialRepo(): AdversarialRepo {
  let repo: TestRepo | undefined
  const commits: string[] = []
  beforeAll(async () => {
    if (!canMeasure()) throw new Error('the adversarial suite measures runs with GNU time: install /usr/bin/time')
    repo = await makeRepo()
    commits.push(await repo.commit('feat: first'))
    await repo.tag('v1.0.0')
    commits.push(await repo.commit('feat: second'))
    await repo.tag('v1.1.0')
  })
  afterAll(() => repo?.remove())
  const started = (): TestRepo => {
    if (!repo) throw new Error('the repository is made in beforeAll')
    return repo
  }
  return {
    get repo() {
      return started()
    },
    commits,
    pushTag: (sentryUrl, inputs = {}, options = {}) =>
      runAction({
        inputs: { auth_token: TOKEN, sentry_url: sentryUrl, org: 'acme', ...DEFAULT_INPUTS, ...inputs },
        eventName: 'push',
        payload: tagPushPayload('v1.1.0', commits[1]),
        ref: 'refs/tags/v1.1.0',
        sha: commits[1],
        workspace: started().dir,
        measure: true,
        ...options,
        // One attempt per request unless a case says otherwise: retries are the hardening suite's, not this one's.
        env: { SENTRY_RELEASE_ACTION_RETRY_BUDGET_MS: '0', ...options.env }
      })
  }
}

/** A release as Sentry serializes it, for the planned version, with what the request set. */
export function releaseBody(version: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 1,
    version,
    shortVersion: version,
    ref: null,
    url: null,
    dateReleased: null,
    dateCreated: '2024-06-01T10:00:00.000000Z',
    commitCount: 0,
    deployCount: 0,
    lastCommit: null,
    lastDeploy: null,
    newGroups: 0,
    projects: [{ slug: 'web', name: 'web' }],
    ...fields
  }
}

/**
 * Enough of Sentry for a run to succeed: a release create or update answers the release with the fields sent, a deploy
 * create answers the deploy. `overrides` answer first, by `METHOD path` regular expression; `releaseFields` are added to
 * every release answered.
 */
export function sentryLike(
  overrides: Array<[RegExp, HostileHandler]> = [],
  releaseFields: (request: IncomingMessage) => Record<string, unknown> = () => ({})
): HostileHandler {
  return (request, response, body, server) => {
    const route = `${request.method} ${request.url}`
    const override = overrides.find(([pattern]) => pattern.test(route))
    if (override) return override[1](request, response, body, server)
    const sent = body ? (JSON.parse(body) as Record<string, unknown>) : {}
    const json = (status: number, value: unknown): void => {
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value))
    }
    const release = /\/releases\/([^/]+)\/$/.exec(request.url ?? '')
    // What Sentry stores of a request as the release's own fields (projects and commits it serializes its own way).
    const { projects: _projects, refs: _refs, commits: _commits, ...stored } = sent
    const fields = { ...stored, ...releaseFields(request) }
    if (request.method === 'POST' && /\/releases\/$/.test(request.url ?? '')) return json(201, releaseBody(String(sent.version), fields))
    if (request.method === 'PUT' && release) return json(200, releaseBody(decodeURIComponent(release[1]), fields))
    if (request.method === 'GET' && /\/deploys\/$/.test(request.url ?? '')) return json(200, [])
    if (request.method === 'POST' && /\/deploys\/$/.test(request.url ?? '')) return json(201, { id: '7', name: null, url: null, ...sent })
    json(404, { detail: 'The requested resource does not exist' })
  }
}
