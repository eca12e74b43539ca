// `npm start`: the action's first look, no Sentry account needed. Starts the Sentry emulator, makes a
// sample repository with tags, runs the bundled action (dist/index.js) for a tag push, and prints what
// the workflow would see and what Sentry received.
import { DEFAULT_TOKEN, defaultSeed, startEmulator } from '../emulator/index.js'
import { tagPushPayload } from '../__tests__/helpers/events.js'
import { makeRepo } from '../__tests__/helpers/git-repo.js'
import { runAction } from '../__tests__/helpers/run-action.js'

const heading = (title: string): void => console.log(`\n=== ${title} ===`)

const repo = await makeRepo()
await repo.commit('feat: storefront')
await repo.tag('v1.0.0', true)
await repo.commit('feat: checkout page')
await repo.commit('fix: rounding of prices')
await repo.commit('perf: lazy-load images')
const tagObject = await repo.tag('v1.1.0', true)
const head = await repo.git('rev-parse', 'v1.1.0^{commit}')

// The release exists already, as when the build uploaded source maps before this step.
const seed = { ...defaultSeed(), releases: [{ org: 'acme', version: 'v1.1.0', projects: ['web'] }] }
const emulator = await startEmulator({ seed, git: repo.dir, fetchDelayMs: 200 })

try {
  heading('Setup')
  console.log(`Sentry emulator: ${emulator.url} (org 'acme', project 'web', repository 'acme/web')`)
  console.log(`Sample repository: ${repo.dir}\n${await repo.git('log', '--oneline', '--decorate', '--no-color')}`)
  console.log('Workflow: on push of tag v1.1.0 (annotated), uses: sentry-release-action with projects: web')

  const run = await runAction({
    inputs: { auth_token: DEFAULT_TOKEN, org: 'acme', sentry_url: emulator.url, projects: 'web' },
    eventName: 'push',
    payload: tagPushPayload('v1.1.0', tagObject),
    ref: 'refs/tags/v1.1.0',
    sha: head,
    workspace: repo.dir
  })

  heading(`Action log (exit code ${run.code}; the runner hides its ::add-mask:: command)`)
  console.log((run.stdout + run.stderr).replace(/^::add-mask::.*\n/gm, '').trim())
  heading('Outputs')
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`${name}: ${value.length > 120 ? `${value.slice(0, 120)}…` : value}`)
  }
  heading('Job summary (markdown)')
  console.log(run.summary.trim())
  heading('Requests Sentry received')
  for (const request of emulator.requests) {
    console.log(`${request.method} ${request.path} -> ${request.status}\n${JSON.stringify(request.body, null, 2)}`)
  }
  await emulator.settle()
  const release = emulator.release('acme', 'v1.1.0') ?? {}
  heading('Release in Sentry after its background commit fetch')
  console.log(`commitCount: ${release.commitCount}, lastCommit: ${(release.lastCommit as { id?: string } | null)?.id}`)
  process.exitCode = run.code ?? 1
} finally {
  await emulator.stop()
  await repo.remove()
}
