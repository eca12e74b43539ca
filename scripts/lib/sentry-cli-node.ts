// Child-process entry for the benchmark: the release job through @sentry/cli's JavaScript API in one
// node process, the way getsentry/action-release's node code drives it (one sentry-cli binary per command).
// Arguments: version project environment; SENTRY_URL, SENTRY_AUTH_TOKEN and SENTRY_ORG come from the environment.
import { SentryCli } from '@sentry/cli'

const [version, project, environment] = process.argv.slice(2)
const releases = new SentryCli(null, { silent: true }).releases
await releases.new(version, { projects: [project] })
await releases.setCommits(version, { auto: true })
await releases.newDeploy(version, { env: environment })
await releases.finalize(version)
