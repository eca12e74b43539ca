// The source maps step wired to the real file system, Sentry and the runner: outputs, log and job summary.
import * as core from '@actions/core'
import { info } from '../../steps/log.js'
import { errorMessage, InputError } from '../../core/errors.js'
import { retryPolicy } from '../../core/retry-policy.js'
import { sleep } from '../../steps/retry.js'
import type { SentryRelease } from '../../core/sentry-answers.js'
import { createSentryClient } from '../sentry-client.js'
import type { Settings } from '../../core/settings.js'
import { createChunkPoster } from './chunk-http.js'
import { directories, files } from './local-files.js'
import { dryRunText, outcomeText, sourceMapOutputs, sourceMapSummary } from '../../core/sourcemaps/report.js'
import type { SourceMapSettings } from '../../core/sourcemaps/settings.js'
import { runSourceMapStep, type StepPorts, type UploadTarget } from '../../steps/sourcemaps/step.js'
import { createTempBundleFile } from './temp-file.js'

/** What the release step leaves for the source maps step: its settings, the release name and Sentry's answer. */
export interface Released {
  settings: Settings
  version: string
  release?: SentryRelease
}

/**
 * Runs the step after the release step (`released`), or alone in inject mode. Upload modes name the release (and
 * dist) in the bundle; an event that releases nothing uploads nothing.
 */
export async function runSourceMaps(settings: SourceMapSettings, released: Released | undefined): Promise<void> {
  if (settings.mode !== 'inject' && !released) return core.notice('Source maps: this event releases nothing, so nothing is uploaded.')
  const release = released?.settings
  const target: UploadTarget | undefined = release && {
    sentryUrl: release.sentryUrl,
    org: release.org,
    projects: release.projects,
    release: released.version,
    dist: settings.dist
  }
  const authToken = settings.mode !== 'inject' && !settings.dryRun ? release?.authToken : undefined
  const sentry = release && authToken ? { authToken, timeoutMs: release.requestTimeoutMs, retry: retryPolicy(process.env) } : undefined
  const outcome = await runSourceMapStep(settings, target, {
    ...localPorts,
    send: sentry && release && createSentryClient({ ...sentry, sentryUrl: release.sentryUrl, org: release.org }),
    postChunks: sentry && createChunkPoster(sentry)
  }).catch((error: unknown) => {
    // An input's own error names it already; anything else says what the run did and did not do.
    if (error instanceof InputError) throw error
    const done = released
      ? `Sentry release ${released.version} was updated, but its source maps were not uploaded`
      : 'Source maps not injected'
    throw new Error(`${done}: ${errorMessage(error)}`)
  })
  // File names and URLs come from the repository: every line is kept plain (no workflow command), as log-text does it.
  info(outcomeText(outcome))
  const dryRun = dryRunText(outcome)
  if (dryRun) info(dryRun)
  for (const [name, value] of Object.entries(sourceMapOutputs(outcome, settings.baseDir, released?.release))) core.setOutput(name, value)
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(sourceMapSummary(outcome, settings.baseDir)).write()
}

const localPorts: Omit<StepPorts, 'send' | 'postChunks'> = {
  dirs: directories,
  files,
  tempFile: () => createTempBundleFile(),
  info: line => info(line),
  warning: line => core.warning(line),
  sleep,
  now: () => Date.now()
}
