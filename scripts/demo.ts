// `npm start`: the action's first look, no Sentry account needed. Starts the Sentry emulator, makes a
// sample repository with tags and an esbuild build of a small app, runs the bundled action (dist/index.js) for a
// push of a new tag that also records a deploy to production and injects and uploads the build's source maps,
// and prints what the workflow would see and what Sentry received.
import { readFile } from 'node:fs/promises'
import { DEFAULT_TOKEN, defaultSeed, startEmulator } from '../emulator/index.js'
import { BUILT, buildApp } from '../harness/bundler-fixture.js'
import { tagPushPayload } from '../harness/events.js'
import { makeRepo } from '../harness/git-repo.js'
import { runAction } from '../harness/run-action.js'

const heading = (title: string): void => console.log(`\n=== ${title} ===`)

/** A push of a new tag, made just now: the action takes the release date from the push (repository.pushed_at). */
function freshTagPush(tag: string, after: string): Record<string, unknown> {
  const payload = tagPushPayload(tag, after)
  return { ...payload, repository: { ...(payload.repository as object), pushed_at: Math.floor(Date.now() / 1000) } }
}

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
const emulator = await startEmulator({ seed, git: repo.dir, fetchDelayMs: 200, assembleDelayMs: 50 })
const app = await buildApp()
const inputs = {
  auth_token: DEFAULT_TOKEN,
  org: 'acme',
  sentry_url: emulator.url,
  projects: 'web',
  environment: 'production',
  sourcemaps: app.dist,
  dist: 'web-1'
}

try {
  heading('Setup')
  console.log(`Sentry emulator: ${emulator.url} (org 'acme', project 'web', repository 'acme/web')`)
  console.log(`Sentry already has release v1.1.0 (as when the build uploaded source maps before this step), so the action updates it.`)
  console.log(
    `Sample repository (temporary, removed at the end): ${repo.dir}\n${await repo.git('log', '--oneline', '--decorate', '--no-color')}`
  )
  console.log('Workflow: on push of tag v1.1.0 (annotated, pushed just now), the step:')
  console.log(`A build of a small app by esbuild (temporary): ${app.dist}\n  ${Object.values(BUILT).join(', ')} and their maps`)
  console.log('  - uses: <owner>/sentry-release-action@v1')
  console.log('    with: { auth_token, org: acme, sentry_url: <the emulator>, projects: web, environment: production,')
  console.log('            sourcemaps: <the build>, dist: web-1 }')

  const run = await runAction({
    inputs,
    eventName: 'push',
    payload: freshTagPush('v1.1.0', tagObject),
    ref: 'refs/tags/v1.1.0',
    sha: head,
    workspace: repo.dir
  })

  heading(`Action log (exit code ${run.code}; the runner hides its ::add-mask:: command)`)
  console.log((run.stdout + run.stderr).replace(/^::add-mask::.*\n/gm, '').trim())
  heading('Outputs')
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`${name}: ${value.length > 100 ? `${value.slice(0, 100)}…` : value}`)
  }
  heading('Job summary (markdown)')
  console.log(run.summary.trim())
  heading('Requests Sentry received')
  for (const request of emulator.requests) {
    const chunkList = (key: string, value: unknown) => (key === 'chunks' && Array.isArray(value) ? `[${value.length} SHA-1s]` : value)
    const body = JSON.stringify(request.body, chunkList, 2)
    console.log(`${request.method} ${request.path} -> ${request.status}\n${body}`)
  }
  await emulator.settle()
  const release = emulator.release('acme', 'v1.1.0') ?? {}
  const deploys = emulator.deploys('acme', 'v1.1.0')
  heading('The release in Sentry once its background commit fetch is done')
  const inRange = await repo.git('rev-list', '--count', 'v1.0.0..v1.1.0')
  console.log(
    `commitCount: ${release.commitCount} (git: ${inRange} commits in v1.0.0..v1.1.0), lastCommit: ${(release.lastCommit as { id?: string } | null)?.id}`
  )
  console.log(`dateReleased: ${release.dateReleased}`)
  for (const deploy of deploys) {
    console.log(`deploy ${deploy.id}: ${deploy.environment}, started ${deploy.dateStarted}, finished ${deploy.dateFinished}`)
  }
  heading('The artifact bundle Sentry assembled')
  for (const bundle of emulator.artifactBundles('acme')) {
    const releases = bundle.releases.map(r => `${r.release} (dist ${r.dist})`).join(', ')
    console.log(`bundle ${bundle.bundleId}: ${bundle.artifactCount} files, ${bundle.size} bytes, for ${releases}`)
    for (const file of bundle.files) console.log(`  ${String(file.type).padEnd(15)} ${file.debugId ?? '-'}  ${String(file.url)}`)
  }
  const injected = await readFile(app.file(BUILT.cli), 'utf8')
  heading(`${BUILT.cli} after injection (its first lines; the map moved one line down)`)
  console.log(
    injected
      .split('\n')
      .slice(0, 3)
      .map(line => (line.length > 120 ? `${line.slice(0, 120)}…` : line))
      .join('\n')
  )
  process.exitCode = run.code ?? 1
} finally {
  await emulator.stop()
  await repo.remove()
  await app.remove()
}
