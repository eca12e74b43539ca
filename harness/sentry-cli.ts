/** The org and project a sentry-cli run works in (SENTRY_ORG, SENTRY_PROJECT); no project leaves the variable unset. */
export interface SentryCliScope {
  org: string
  project?: string
}

/**
 * The environment of a real sentry-cli run against the emulator: its URL, the token, org acme and project web unless
 * `scope` says otherwise, no update check or .env file, and a dead proxy for every host but 127.0.0.1, so it can
 * reach nothing else.
 */
export function sentryCliEnv(
  sentryUrl: string,
  home: string,
  token: string,
  scope: SentryCliScope = { org: 'acme', project: 'web' }
): Record<string, string> {
  const deadProxy = 'http://127.0.0.1:9'
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    SENTRY_URL: sentryUrl,
    SENTRY_AUTH_TOKEN: token,
    SENTRY_ORG: scope.org,
    ...(scope.project ? { SENTRY_PROJECT: scope.project } : {}),
    SENTRY_DISABLE_UPDATE_CHECK: '1',
    SENTRY_LOAD_DOTENV: '0',
    http_proxy: deadProxy,
    https_proxy: deadProxy,
    HTTPS_PROXY: deadProxy,
    no_proxy: '127.0.0.1'
  }
}
