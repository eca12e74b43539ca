import { InputError, looksLikeToken } from './errors.js'

/**
 * Sentry stores a release's and a deploy's url in Django URLFields of at most 200 characters; its serializer does not
 * check the length, so a longer value fails at the database with a 500 (docs/sentry-api.md section 10).
 */
export const MAX_URL_LENGTH = 200

/** Length as Python counts it (code points), which is what Sentry's and Django's max_length check. */
export function characters(text: string): number {
  return Array.from(text).length
}

/** An http(s) URL that Sentry can store (at most MAX_URL_LENGTH characters); throws naming the input otherwise. */
export function checkStorableUrl(value: string, input: string): string {
  checkHttpUrl(value, input)
  const length = characters(value)
  if (length > MAX_URL_LENGTH) {
    throw new InputError(input, `has ${length} characters; Sentry stores URLs of at most ${MAX_URL_LENGTH} (shorten it, or leave it unset)`)
  }
  return value
}

/** The value when it is an http(s) URL; throws naming the input otherwise. */
export function checkHttpUrl(value: string, input: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(input, `'${quotableUrl(value)}' is not a URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(input, `'${quotableUrl(value)}' must start with https:// or http://`)
  }
  return value
}

/**
 * The part of a URL value an error may quote: its scheme and host. A token pasted into a path, query,
 * fragment or user info (`https://host/?token=…`, `https://user:token@host`) stays out of the log.
 */
function quotableUrl(value: string): string {
  const shown = schemeAndHost(value)
  // A token pasted instead of a URL would be its "host".
  return looksLikeToken(shown) ? '(a value that looks like a token, not shown)' : shown
}

function schemeAndHost(value: string): string {
  try {
    const url = new URL(value)
    return url.host ? `${url.protocol}//${url.host}` : url.protocol
  } catch {
    // Unparseable: scheme and authority by hand, user info (up to the last '@') dropped.
    const [, scheme = '', authority = ''] = /^(?:([a-z][a-z\d+.-]*:)\/\/)?([^/?#]*)/i.exec(value) ?? []
    const host = authority.slice(authority.lastIndexOf('@') + 1)
    return scheme ? `${scheme}//${host}` : host
  }
}

/**
 * Sentry's base URL without trailing slashes; a self-hosted sub-path is kept. The token goes to this URL,
 * so it must carry no credentials, query or fragment, and plain http:// is only for this machine unless allowed.
 */
export function sentryBaseUrl(value: string, input: string, allowInsecureHttp = false): string {
  const url = new URL(checkHttpUrl(value, input))
  if (url.username || url.password) {
    throw new InputError(input, `must not contain credentials (user:password@); the token goes in 'auth_token'`)
  }
  if (url.search || url.hash) throw new InputError(input, `'${quotableUrl(value)}' must not have a query (?) or fragment (#)`)
  // Every request and link carries the path: a token pasted there would reach logs, outputs and the summary.
  if (looksLikeToken(url.pathname) || looksLikeToken(decodedPath(url.pathname))) {
    const rule = "has a path that looks like a token: give Sentry's base URL; the token goes in 'auth_token'"
    throw new InputError(input, `'${quotableUrl(value)}' ${rule}`)
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new InputError(
      input,
      `'${quotableUrl(value)}' would send the token unencrypted: use https://, or set 'allow_insecure_http: true' if the network is trusted`
    )
  }
  return url.href.replace(/\/+$/, '')
}

/** A path with each %-escape read as the byte it stands for (tokens are ASCII); malformed ones stay as they are. */
function decodedPath(path: string): string {
  return path.replace(/%[0-9a-f]{2}/gi, escape => String.fromCharCode(Number.parseInt(escape.slice(1), 16)))
}

/** This machine: plain http never leaves it. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]'
}

/** Path of one release, relative to the API root; the version is one percent-encoded segment. */
export function releasePath(org: string, version: string): string {
  return `${releasesPath(org)}${encodeURIComponent(version)}/`
}

/** Path of the org's release list, relative to the API root. */
export function releasesPath(org: string): string {
  return `organizations/${encodeURIComponent(org)}/releases/`
}

/** Path of the org's repositories named like `name` (Sentry matches `query` as a substring), relative to the API root. */
export function repositoriesPath(org: string, name: string): string {
  return `organizations/${encodeURIComponent(org)}/repos/?query=${encodeURIComponent(name)}&per_page=100`
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
