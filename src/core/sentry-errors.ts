import type { PlannedRequest } from './requests.js'
import { releasesPath } from './url.js'

/** Sentry answered with a final error status; the message is one readable line. */
export class SentryError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
    this.name = 'SentryError'
  }
}

// Which input to look at when Sentry rejects a body field of a release, or of a deploy.
const RELEASE_FIELD_INPUTS: Record<string, string> = {
  refs: 'repo',
  projects: 'projects',
  version: 'release',
  url: 'release_url',
  ref: 'ref',
  dateReleased: 'date_released'
}
const DEPLOY_FIELD_INPUTS: Record<string, string> = {
  environment: 'environment',
  name: 'deploy_name',
  url: 'deploy_url',
  dateStarted: 'started_at',
  projects: 'projects'
}

const STATUS_HINTS: Record<number, string> = {
  401: "check 'auth_token'",
  403: "the token needs the org:ci or project:releases scope, in org '%org'"
}

/** Sentry answers the same 404 for an org the token cannot see as for a missing release, so that cause is always named. */
export function hiddenOrgHint(org: string): string {
  return `the token cannot see org '${org}': check 'org'`
}

function notFoundHint(request: PlannedRequest, org: string): string {
  // A 404 to the org's release list (creating a release) can only mean the org.
  // Only a release's own path can name a missing release; the release list and the repository list name the org alone.
  const missing =
    request.path.startsWith(`${releasesPath(org)}`) && request.path !== releasesPath(org)
      ? `Sentry has no such release in org '${org}'`
      : `Sentry has no org '${org}'`
  return `${missing}, or ${hiddenOrgHint(org)}`
}

/** Sentry's error answer to a request -> SentryError saying what failed, why and where to look. */
export function sentryError(request: PlannedRequest, org: string, status: number, body: unknown): SentryError {
  const detail = errorDetail(body)
  // A release's create is a POST to …/releases/, its deploy's to …/releases/{version}/deploys/.
  const inputs = request.method === 'POST' && request.path.endsWith('/deploys/') ? DEPLOY_FIELD_INPUTS : RELEASE_FIELD_INPUTS
  const field = typeof body === 'object' && body !== null ? Object.keys(body).find(key => key in inputs) : undefined
  const hint = field ? `check '${inputs[field]}'` : status === 404 ? notFoundHint(request, org) : STATUS_HINTS[status]?.replace('%org', org)
  const parts = [
    `Sentry answered ${status} to ${request.method} /api/0/${request.path}`,
    detail && `: ${detail}`,
    hint && ` (${hint})`,
    status === 400 && refsRejectedAfterSaving(detail) && `; ${partlyApplied(request)}`
  ]
  return new SentryError(status, parts.filter(Boolean).join(''))
}

// Errors Sentry raises while setting refs, after it has saved the release's other fields, with no rollback
// (docs/sentry-api.md section 1, "Processing order", step 7).
const LATE_REFS_ERRORS = ['Invalid repository names', 'You must use an authenticated API token to fetch refs']

function refsRejectedAfterSaving(detail: string): boolean {
  return LATE_REFS_ERRORS.some(message => detail.startsWith(`refs: ${message}`))
}

/**
 * What of a refs-rejected request Sentry kept anyway: on update its truthy ref, url, dateReleased; on create the release
 * with them when it was new (an existing release keeps its own, docs/sentry-api.md section 5).
 */
function partlyApplied(request: PlannedRequest): string {
  const kept = ['ref', 'url', 'dateReleased'].filter(field => request.body?.[field])
  if (request.method === 'POST') {
    const fields = kept.length > 0 ? ` with ${kept.join(', ')}` : ''
    return (
      `Sentry created the release if it was new (${fields ? `${fields.trim()}` : 'with no other field'}), or kept it as it ` +
      `was, but set no commits`
    )
  }
  return `Sentry ${kept.length > 0 ? `saved ${kept.join(', ')}` : 'saved nothing else'}, but set no commits`
}

/** How much of an error body reaches the one error line: a few fields, each cut, and never a deep walk. */
const DETAIL = { maxLength: 300, maxValue: 200, maxFields: 5, maxDepth: 8 }

/**
 * Sentry's error bodies: {"detail": "..."}, field errors {"refs": ["Invalid repository names: x"]},
 * unindexed list errors {"refs": {"repository": ["This field is required."]}}, or non-JSON text. A hostile or broken
 * server's body (100,000 fields, 100,000 levels deep, megabytes of text) is cut to a readable line.
 */
export function errorDetail(body: unknown): string {
  const text = detailOf(body, '', 0)
  return text.length > DETAIL.maxLength ? `${text.slice(0, DETAIL.maxLength)}…` : text
}

function detailOf(body: unknown, field: string, depth: number): string {
  if (body === undefined || body === null) return ''
  if (depth >= DETAIL.maxDepth) return labelled(field, '…')
  if (Array.isArray(body)) {
    return labelled(
      field,
      cut(
        body.slice(0, DETAIL.maxFields).map(item => detailOf(item, '', depth + 1)),
        body.length,
        ' '
      )
    )
  }
  if (typeof body === 'object') {
    const keys = Object.keys(body)
    const entries = keys.slice(0, DETAIL.maxFields).map(key => {
      const value = (body as Record<string, unknown>)[key]
      return detailOf(value, key === 'detail' ? field : field ? `${field}.${key}` : key, depth + 1)
    })
    return cut(entries, keys.length, '; ')
  }
  const line = String(body)
    .trim()
    .split(/\r\n|\r|\n/)[0]
  return labelled(field, line.length > DETAIL.maxValue ? `${line.slice(0, DETAIL.maxValue)}…` : line)
}

/** The first few of `total` parts, joined, and how many more there were. */
function cut(parts: string[], total: number, separator: string): string {
  const shown = parts.join(separator)
  return total > parts.length ? `${shown}${separator}… (${total - parts.length} more)` : shown
}

function labelled(field: string, text: string): string {
  return field ? `${field}: ${text}` : text
}
