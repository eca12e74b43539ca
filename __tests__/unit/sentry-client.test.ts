import { afterAll, beforeAll, expect, jest, test } from '@jest/globals'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { createSentryClient } = await import('../../src/io/sentry-client.js')

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

test('a header HTTP forbids fails at once, naming auth_token, without quoting the token', async () => {
  const { port } = server.address() as AddressInfo
  const sentryUrl = `http://127.0.0.1:${port}`
  const retry = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 }
  const send = createSentryClient({ sentryUrl, authToken: '\u201csntryu_secret\u201d', org: 'acme', timeoutMs: 2000, retry })
  await expect(send({ method: 'GET', path: 'organizations/acme/releases/' })).rejects.toThrow(
    new Error(
      `Cannot reach Sentry at ${sentryUrl} (check 'auth_token'): the request was refused before sending: ` + 'invalid Authorization header'
    )
  )
  expect(requests).toBe(0)
  expect(core.info).not.toHaveBeenCalled()
})

// A timeout means Sentry was reached and stayed silent: the error names request_timeout, not sentry_url, and quotes
// only the scheme and host of a self-hosted URL.
test('a server that never answers: one clean retry line per attempt, and an error naming request_timeout', async () => {
  const silent = http.createServer(() => {})
  await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = silent.address() as AddressInfo
    const retry = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 }
    core.debug.mockClear()
    const send = createSentryClient({
      sentryUrl: `http://127.0.0.1:${port}/sentry/`,
      authToken: 'sntryu_x',
      org: 'acme',
      timeoutMs: 200,
      retry
    })
    await expect(send({ method: 'GET', path: 'organizations/acme/releases/' })).rejects.toThrow(
      new Error(`Sentry at http://127.0.0.1:${port} did not answer within 0.2 s ('request_timeout') in 2 attempts`)
    )
    expect(core.info).toHaveBeenCalledWith("Sentry did not answer within 0.2 s ('request_timeout'); retrying in 0.0 s (attempt 2 of 2).")
    // Step debug logging: each attempt and why no third one follows.
    expect(core.debug.mock.calls.map(([line]) => line.replace(/in \d+ ms/, 'in N ms'))).toEqual([
      "GET /api/0/organizations/acme/releases/ -> no answer (did not answer within 0.2 s ('request_timeout')) in N ms; " +
        "worth another attempt: did not answer within 0.2 s ('request_timeout').",
      "GET /api/0/organizations/acme/releases/ -> no answer (did not answer within 0.2 s ('request_timeout')) in N ms; " +
        "worth another attempt: did not answer within 0.2 s ('request_timeout').",
      'GET /api/0/organizations/acme/releases/: no further attempt (attempt 2 was the last of 2).'
    ])
  } finally {
    silent.closeAllConnections()
    await new Promise(resolve => silent.close(resolve))
  }
})

// With step debug logging on, each request shows as method, path, status and time: never a header, so never the token.
test('debug lines: one per attempt with status and time, and whether another follows; the token nowhere', async () => {
  const answers = [503, 200]
  const busy = http.createServer((_, response) => {
    const status = answers.shift() ?? 200
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(status === 200 ? '{"version":"v1"}' : '{"detail":"busy"}')
  })
  await new Promise<void>(resolve => busy.listen(0, '127.0.0.1', resolve))
  try {
    core.debug.mockClear()
    const { port } = busy.address() as AddressInfo
    const retry = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 }
    const sentryUrl = `http://127.0.0.1:${port}`
    const send = createSentryClient({ sentryUrl, authToken: 'sntryu_debugsecret', org: 'acme', timeoutMs: 2000, retry })
    expect(await send({ method: 'PUT', path: 'organizations/acme/releases/v1/', body: {} })).toEqual({ version: 'v1' })
    const lines = core.debug.mock.calls.map(([line]) => line)
    expect(lines.map(line => line.replace(/in \d+ ms/, 'in N ms'))).toEqual([
      'PUT /api/0/organizations/acme/releases/v1/ -> 503 in N ms; worth another attempt: answered 503.',
      'PUT /api/0/organizations/acme/releases/v1/ -> 200 in N ms; final.'
    ])
    expect(lines.join('\n')).not.toContain('debugsecret')
  } finally {
    busy.closeAllConnections()
    await new Promise(resolve => busy.close(resolve))
  }
})

// More than http-transport reads is not Sentry's API (a misrouted download, an endless stream): no retry, sentry_url named.
test('an answer over the cap fails at the first attempt, naming the request, the cap and sentry_url', async () => {
  let asked = 0
  const flood = http.createServer((_, response) => {
    asked++
    response.writeHead(200, { 'Content-Type': 'application/json' })
    const chunk = Buffer.alloc(64 * 1024, ' ')
    const more = (): void => {
      while (!response.destroyed && response.write(chunk));
    }
    response.on('drain', more)
    more()
  })
  await new Promise<void>(resolve => flood.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = flood.address() as AddressInfo
    const retry = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 }
    const sentryUrl = `http://127.0.0.1:${port}/sentry`
    const send = createSentryClient({ sentryUrl, authToken: 'sntryu_x', org: 'acme', timeoutMs: 5000, retry })
    await expect(send({ method: 'GET', path: 'organizations/acme/releases/v1/' })).rejects.toThrow(
      new Error(
        `The server at http://127.0.0.1:${port} answered GET /api/0/organizations/acme/releases/v1/ with more than 4 MiB, ` +
          "the most that is read (Sentry's answers are far smaller): check 'sentry_url'"
      )
    )
    expect(asked).toBe(1)
  } finally {
    flood.closeAllConnections()
    await new Promise(resolve => flood.close(resolve))
  }
})

// A server that is not Sentry received the token; what it sends back never carries it further (errors, outputs).
test('a server echoing the token: the token and an org token secret are replaced in what the client returns or throws', async () => {
  const secret = 'Zm9vYmFyYmF6cXV4c2VjcmV0'
  const token = `sntrys_eyJvcmciOiJhY21lIn0_${secret}`
  const echo = http.createServer((request, response) => {
    const status = request.method === 'GET' ? 401 : 200
    const detail = { detail: `bad token ${request.headers.authorization}`, secretAlone: secret }
    const body = status === 200 ? { ...detail, version: 'v1' } : detail
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
  })
  await new Promise<void>(resolve => echo.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = echo.address() as AddressInfo
    const retry = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 }
    const send = createSentryClient({ sentryUrl: `http://127.0.0.1:${port}`, authToken: token, org: 'acme', timeoutMs: 2000, retry })
    const shown = '[the auth token, not shown]'
    expect(await send({ method: 'PUT', path: 'organizations/acme/releases/v1/', body: {} })).toEqual({
      detail: `bad token Bearer ${shown}`,
      secretAlone: shown,
      version: 'v1'
    })
    const failure = await send({ method: 'GET', path: 'organizations/acme/releases/v1/' }).catch((error: Error) => error.message)
    expect(failure).toBe(
      `Sentry answered 401 to GET /api/0/organizations/acme/releases/v1/: bad token Bearer ${shown}; ` +
        `secretAlone: ${shown} (check 'auth_token')`
    )
  } finally {
    echo.closeAllConnections()
    await new Promise(resolve => echo.close(resolve))
  }
})
