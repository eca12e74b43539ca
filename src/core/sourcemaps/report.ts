import * as path from 'node:path'
import { code, escapeHtml } from '../report-text.js'
import type { FileReport, SourceMapOutcome } from './outcome.js'
import { mebibytes } from './outcome.js'

const INJECTED: Array<FileReport['change']> = ['injected-at-start', 'injected-at-end', 'commented']

/** The step's outputs (keys as in action.yml); `release` is the release step's object, extended in `json`. */
export function sourceMapOutputs(outcome: SourceMapOutcome, baseDir: string, release?: Record<string, unknown>): Record<string, string> {
  const outputs: Record<string, string> = {
    sourcemapsInjected: String(outcome.files.filter(file => INJECTED.includes(file.change)).length),
    sourcemapsUploaded: String(outcome.upload && outcome.bundle ? outcome.bundle.files : 0)
  }
  if (outcome.bundle) {
    outputs.artifactBundleId = outcome.bundle.id
    outputs.artifactBundleChecksum = outcome.bundle.checksum
  }
  const sourcemaps = {
    files: outcome.files.map(file => ({
      file: path.relative(baseDir, file.path),
      url: file.url,
      type: file.kind,
      debugId: file.debugId ?? null,
      ...(file.sourceMap ? { sourceMap: file.sourceMap } : {})
    })),
    ...(outcome.bundle
      ? { artifactBundle: { id: outcome.bundle.id, checksum: outcome.bundle.checksum, uploaded: Boolean(outcome.upload) } }
      : {})
  }
  outputs.json = JSON.stringify({ ...(release ?? {}), sourcemaps })
  return outputs
}

/** One log line for the whole step. */
export function outcomeText(outcome: SourceMapOutcome): string {
  const scripts = outcome.files.filter(file => file.kind === 'script')
  const injected = outcome.files.filter(file => INJECTED.includes(file.change)).length
  const withId = scripts.filter(file => file.debugId).length
  const maps = outcome.files.length - scripts.length
  const parts = [`Source maps: ${scripts.length} scripts (${injected} injected now, ${withId} with a debug ID), ${maps} maps`]
  if (outcome.bundle && outcome.upload) {
    const { chunksSent, bytesSent } = outcome.upload
    const chunks = `${chunksSent} ${chunksSent === 1 ? 'chunk' : 'chunks'}`
    const sent = chunksSent > 0 ? `${chunks} (${mebibytes(bytesSent)}) sent` : 'Sentry had every chunk'
    parts.push(`artifact bundle ${outcome.bundle.id} uploaded and assembled (${sent})`)
  } else if (outcome.bundle) {
    parts.push(`artifact bundle ${outcome.bundle.id} built, not uploaded (dry run)`)
  }
  if (outcome.dryRun) parts.push('dry run: no file changed')
  return `${parts.join('; ')}.`
}

/** What a dry run would send. */
export function dryRunText(outcome: SourceMapOutcome): string {
  // After an upload the requests were made, and the log says so in the upload's own lines.
  if (outcome.requests.length === 0 || outcome.upload) return ''
  return ['Dry run: the source maps upload would send:', ...outcome.requests.map(request => `  ${request}`)].join('\n')
}

// Rows of the summary's file table; more are counted, not listed.
const SUMMARY_ROWS = 50

/** The job summary's source maps section. */
export function sourceMapSummary(outcome: SourceMapOutcome, baseDir: string): string {
  const lines = ['### Source maps', '', outcomeText(outcome), '']
  if (outcome.files.length > 0) {
    lines.push('| File | Debug ID | Map |', '|---|---|---|')
    for (const file of outcome.files.slice(0, SUMMARY_ROWS)) {
      const map = file.kind === 'map' ? '(map)' : (file.sourceMap ?? '-')
      lines.push(`| ${code(path.relative(baseDir, file.path))} | ${file.debugId ? code(file.debugId) : '-'} | ${escapeHtml(map)} |`)
    }
    if (outcome.files.length > SUMMARY_ROWS) lines.push(`| … and ${outcome.files.length - SUMMARY_ROWS} more | | |`)
  }
  return `${lines.join('\n')}\n`
}
