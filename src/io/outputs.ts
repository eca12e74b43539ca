// What a run leaves for the workflow: outputs (GITHUB_OUTPUT), the result in the log, and the job summary
// (GITHUB_STEP_SUMMARY), all through @actions/core. The texts are made in core/report-text.ts.
import * as core from '@actions/core'
import type { DeployOutcome } from '../core/deploy-plan.js'
import { fitOutputs } from '../core/output-limits.js'
import type { Plan } from '../core/plan.js'
import { failureMarkdown, planText, releaseOutputs, resultLines, type RunProgress, summaryMarkdown } from '../core/report-text.js'
import type { SentryRelease } from '../core/sentry-answers.js'
import { inGroup, info } from '../steps/log.js'

/** Sets the outputs, logs the result and writes the job summary (when the runner gives a file for it). */
export async function report(
  plan: Plan,
  release?: SentryRelease,
  deployed?: DeployOutcome,
  deployFailure?: string,
  listed?: boolean
): Promise<void> {
  const fitted = fitOutputs(releaseOutputs(plan, release, deployed), release)
  setOutputs(fitted.outputs)
  if (fitted.cut) core.notice(fitted.cut, { title: "Outputs cut to GitHub's limit" })
  if (release) resultLines(plan, release, deployed, listed).forEach(line => info(line))
  else await inGroup(`Dry run: the requests for release ${plan.version} (nothing is sent)`, async () => info(planText(plan)))
  if (process.env.GITHUB_STEP_SUMMARY) await writeSummary(summaryMarkdown(plan, release, deployed, deployFailure, listed))
}

/** The outputs, through GITHUB_OUTPUT; a file that cannot be written (a full disk) fails the run naming it. */
function setOutputs(outputs: Record<string, string>): void {
  try {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
  } catch (error) {
    throw new Error(`Cannot write the step's outputs to GITHUB_OUTPUT (${process.env.GITHUB_OUTPUT}): ${(error as Error).message}`)
  }
}

/** The job summary; a file that cannot be written is a warning naming it: the release and its outputs stand. */
async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write()
  } catch (error) {
    core.warning(`Cannot write the job summary to GITHUB_STEP_SUMMARY (${process.env.GITHUB_STEP_SUMMARY}): ${(error as Error).message}`)
  }
}

/** A failed run's job summary: what failed and what Sentry holds. Written only when the runner gives a file for it. */
export async function reportFailure(failure: string, progress: RunProgress): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(failureMarkdown(failure, progress)).write()
  } catch (error) {
    core.debug(`Cannot write the job summary: ${(error as Error).message}`)
  }
}
