/**
 * The environment of a real sentry-cli run against the emulator: its URL, the default token, org acme and project web,
 * no update check or .env file, and a dead proxy for every host but 127.0.0.1, so it can reach nothing else.
 */
export function sentryCliEnv(sentryUrl: string, home: string, token: string): Record<string, string | undefined> {
  const deadProxy = 'http://127.0.0.1:9'
  return {
    PATH: process.env.PATH,
    HOME: home,
    SENTRY_URL: sentryUrl,
    SENTRY_AUTH_TOKEN: token,
    SENTRY_ORG: 'acme',
    SENTRY_PROJECT: 'web',
    SENTRY_DISABLE_UPDATE_CHECK: '1',
    SENTRY_LOAD_DOTENV: '0',
    http_proxy: deadProxy,
    https_proxy: deadProxy,
    HTTPS_PROXY: deadProxy,
    no_proxy: '127.0.0.1'
  }
}
