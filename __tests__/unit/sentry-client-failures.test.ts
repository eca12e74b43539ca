import { afterAll, beforeAll, expect, jest, test } from '@jest/globals'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { coreMock } from '../helpers/core-mock.js'

jest.unstable_mockModule('../../src/runner.js', () => coreMock)
const { createSentryClient } = await import('../../src/sentry-client.js')

// Failures no retry can fix end at the first attempt. Settings refuses such a token first; this is the
// client's own guard, so a header node refuses is never sent five times and blamed on sentry_url.

let server: http.Server
let requests = 0
beforeAll(async () => {
  server = http.createServer((_, response) => {
    requests++
    response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
})
afterAll(() => new Promise(resolve => server.close(resolve)))

test('a header node refuses to send fails at once, naming auth_token, without quoting the token', async () => {
  const { port } = server.address() as AddressInfo
  const sentryUrl = `http://127.0.0.1:${port}`
  const retry = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 }
  const send = createSentryClient({ sentryUrl, authToken: '\u201csntryu_secret\u201d', org: 'acme', timeoutMs: 2000, retry })
  await expect(send({ method: 'GET', path: 'organizations/acme/releases/' })).rejects.toThrow(
    new Error(
      `Cannot reach Sentry at ${sentryUrl} (check 'auth_token'): the request was refused before sending: ` +
        'Invalid character in header content ["Authorization"]'
    )
  )
  expect(requests).toBe(0)
  expect(coreMock.info).not.toHaveBeenCalled()
})

// A timeout means Sentry was reached and stayed silent: the error names request_timeout, not sentry_url, and quotes
// only the scheme and host of a self-hosted URL.
test('a server that never answers: one clean retry line per attempt, and an error naming request_timeout', async () => {
  const silent = http.createServer(() => {})
  await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = silent.address() as AddressInfo
    const retry = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 }
    const send = createSentryClient({ sentryUrl: `http://127.0.0.1:${port}/sentry/`, authToken: 'sntryu_x', org: 'acme', timeoutMs: 200, retry })
    await expect(send({ method: 'GET', path: 'organizations/acme/releases/' })).rejects.toThrow(
      new Error(`Sentry at http://127.0.0.1:${port} did not answer within 0.2 s ('request_timeout') in 2 attempts`)
    )
    expect(coreMock.info).toHaveBeenCalledWith("Sentry did not answer within 0.2 s ('request_timeout'); retrying in 0.0 s (attempt 2 of 2).")
  } finally {
    silent.closeAllConnections()
    await new Promise(resolve => silent.close(resolve))
  }
})
