import { DEFAULT_TOKEN } from '../../emulator/index.js'
import type { E2eFixture } from './e2e-fixture.js'
import { type ActionRun, runAction, type RunActionOptions } from '../../harness/run-action.js'

export type EventRun = Omit<RunActionOptions, 'inputs' | 'workspace'> & Partial<Pick<RunActionOptions, 'inputs' | 'workspace'>>

/**
 * Runs the bundled action on an event against the fixture's emulator, with its default inputs (token, url,
 * org acme, projects web) under `inputs`, in the fixture's repository unless `workspace` says otherwise.
 */
export function runEvent(fx: E2eFixture, { inputs, workspace, ...event }: EventRun): Promise<ActionRun> {
  const defaults = { auth_token: DEFAULT_TOKEN, sentry_url: fx.emulator.url, org: 'acme', projects: 'web' }
  return runAction({ ...event, inputs: { ...defaults, ...inputs }, workspace: workspace ?? fx.repo.dir })
}
