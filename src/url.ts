import { InputError } from './errors.js'

/** The value when it is an http(s) URL; throws naming the input otherwise. */
export function checkHttpUrl(value: string, input: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(input, `'${value}' is not a URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(input, `'${value}' must start with https:// or http://`)
  }
  return value
}

/** Sentry's base URL without trailing slashes; a self-hosted sub-path is kept. */
export function sentryBaseUrl(value: string, input: string): string {
  return new URL(checkHttpUrl(value, input)).href.replace(/\/+$/, '')
}

/** Path of one release, relative to the API root; the version is one percent-encoded segment. */
export function releasePath(org: string, version: string): string {
  return `${releasesPath(org)}${encodeURIComponent(version)}/`
}

/** Path of the org's release list, relative to the API root. */
export function releasesPath(org: string): string {
  return `organizations/${encodeURIComponent(org)}/releases/`
}

/** Full API URL of a path from releasePath/releasesPath. */
export function apiUrl(sentryUrl: string, path: string): string {
  return `${sentryUrl}/api/0/${path}`
}

/** The release's page in Sentry's web UI. */
export function releasePageUrl(sentryUrl: string, org: string, version: string): string {
  return `${sentryUrl}/${releasePath(org, version)}`
}

/** A page under a GitHub repository's URL, e.g. githubPage(repositoryUrl, 'commit', sha); segments are encoded. */
export function githubPage(repositoryUrl: string, ...segments: string[]): string {
  return [repositoryUrl, ...segments.map(encodeURIComponent)].join('/')
}
