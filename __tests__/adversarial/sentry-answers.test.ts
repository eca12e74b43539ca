import { afterEach, describe, expect, test } from '@jest/globals'
import { answer, endless, type HostileHandler, type HostileServer, silent, startHostileServer, trickle } from '../helpers/hostile-server.js'
import { expectContained, releaseBody, sentryLike, TOKEN, useAdversarialRepo } from './contained.js'

// Sentry's answers as a hostile or misrouted server sends them, against the bundled action: each fails in one line
// naming what to check, within bounds of time and memory, or (where the answer is usable) succeeds within them.

const fx = useAdversarialRepo()
let server: HostileServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

async function serve(handler: HostileHandler): Promise<string> {
  server = await startHostileServer(handler)
  return server.url
}

const CREATE = 'POST /api/0/organizations/acme/releases/'
const NO_JSON = 'no JSON (an empty body or an HTML page)'
/** The error of a server that stays silent (or too slow) for request_timeout 1, with no retry. */
const silentFor = (url: string): string => `Sentry at ${url} did not answer within 1 s ('request_timeout') in 1 attempt`
/** The error of a connection that could not be made or was cut. */
const unreachable = (url: string): RegExp => new RegExp(`^Cannot reach Sentry at ${url} \\(check 'sentry_url'\\): .+$`)

describe('a 2xx that is not Sentry', () => {
  test.each<[string, HostileHandler, string]>([
    ['an HTML page (an SSO login)', answer(200, '<!doctype html><html><body>Sign in</body></html>'), NO_JSON],
    ['an empty 200', answer(200, ''), NO_JSON],
    ['a 204', (_, response) => response.writeHead(204).end(), NO_JSON],
    ['invalid JSON', answer(200, '{"version": "v1.1.0",'), 'text that is not JSON'],
    ['a JSON array', answer(200, [releaseBody('v1.1.0')]), 'a JSON array'],
    ['JSON null', answer(200, null), 'JSON null'],
    ['a JSON number', answer(200, 42), 'a JSON number'],
    ['an empty object', answer(200, {}), 'an empty JSON object'],
    ['another release', answer(201, releaseBody('v9.9.9')), 'a JSON object of another shape'],
    ['binary garbage', answer(200, Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32])), 'text that is not JSON']
  ])('%s: fails naming sentry_url, nothing released', async (_, handler, described) => {
    const url = await serve(handler)
    const run = await fx.pushTag(url)
    const error = expectContained(run, { code: 1 })
    expect(error).toBe(
      `The server at ${url} answered with ${described} where Sentry's API sends the release "v1.1.0": ` +
        "check 'sentry_url' (Sentry's base URL, without /api/0/, e.g. https://sentry.io)"
    )
    expect(server?.requests).toEqual([CREATE])
  })
})

/** A valid release JSON of `size` bytes: the release, then a padding field streamed in 64 KiB chunks (chunked, no length). */
function hugeRelease(size: number): HostileHandler {
  return (_, response, __, { written }) => {
    const head = JSON.stringify(releaseBody('v1.1.0')).slice(0, -1) + ',"padding":"'
    response.writeHead(201, { 'Content-Type': 'application/json' })
    response.write(head)
    const chunk = 'x'.repeat(64 * 1024)
    let left = size - head.length - 2
    const more = (): void => {
      while (left > 0 && !response.destroyed) {
        left -= chunk.length
        written.bytes += chunk.length
        if (!response.write(chunk)) return
      }
      if (!response.destroyed) response.end('"}')
    }
    response.on('drain', more)
    more()
  }
}

const MIB = 1024 * 1024
const tooLarge = (url: string, request = CREATE): string =>
  `The server at ${url} answered ${request} with more than 4 MiB, the most that is read ` +
  "(Sentry's answers are far smaller): check 'sentry_url'"

describe('answers too large or too slow', () => {
  test('600 MB declared by Content-Length: refused before its body is read', async () => {
    const url = await serve((_, response) => {
      response.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': String(600 * MIB) })
      response.write('{"version":"v1.1.0","padding":"')
    })
    expect(expectContained(await fx.pushTag(url), { code: 1 })).toBe(tooLarge(url))
  })

  test('a never-ending chunked answer: cut at 4 MiB, at once, memory flat', async () => {
    const url = await serve(endless(201))
    const run = await fx.pushTag(url, { request_timeout: '30' })
    expect(expectContained(run, { code: 1, maxWallMs: 5000, maxRssMb: 150 })).toBe(tooLarge(url))
    expect(server?.written.bytes).toBeLessThan(64 * MIB)
  })

  test('a valid release JSON of 100 MB: cut at 4 MiB like any other answer', async () => {
    const url = await serve(hugeRelease(100 * MIB))
    expect(expectContained(await fx.pushTag(url, { request_timeout: '30' }), { code: 1, maxRssMb: 150 })).toBe(tooLarge(url))
  })

  test('a valid release JSON of 3 MB: released, and the json output cut to fit 1 MB with a notice', async () => {
    const authors = Array.from({ length: 40_000 }, (_, index) => ({ name: `Author ${index}`, email: `author${index}@example.com` }))
    const url = await serve(sentryLike([], () => ({ authors })))
    const run = await fx.pushTag(url)
    expectContained(run, { code: 0, notices: 1 })
    expect(JSON.stringify(authors).length).toBeGreaterThan(2 * MIB)
    const json = JSON.parse(run.outputs.json)
    expect(json).toMatchObject({ version: 'v1.1.0', projects: [{ slug: 'web', name: 'web' }] })
    expect(json).not.toHaveProperty('authors')
    const utf16 = Object.entries(run.outputs).reduce((sum, [name, value]) => sum + 2 * (name.length + value.length), 0)
    expect(utf16).toBeLessThanOrEqual(1_000_000)
    expect(run.stdout).toContain(
      "::notice title=Outputs cut to GitHub's limit::GitHub keeps at most 1 MB of a job's outputs: " +
        "output 'json' leaves out Sentry's field(s) authors."
    )
  })

  test('an answer a byte a second: ends at request_timeout, as one that never answers', async () => {
    const url = await serve(trickle(JSON.stringify(releaseBody('v1.1.0'))))
    const run = await fx.pushTag(url)
    expect(expectContained(run, { code: 1, maxWallMs: 4000 })).toBe(silentFor(url))
  })

  test('a slow endless answer that never reaches the cap: ends at request_timeout', async () => {
    const url = await serve((_, response, __, { timers }) => {
      response.writeHead(201, { 'Content-Type': 'application/json' })
      const timer = setInterval(() => response.write(' '.repeat(1024)), 20)
      timers.add(timer)
      response.on('close', () => clearInterval(timer))
    })
    const run = await fx.pushTag(url)
    expect(expectContained(run, { code: 1, maxWallMs: 4000 })).toBe(silentFor(url))
  })

  test('a server that accepts and never answers: request_timeout', async () => {
    const url = await serve(silent)
    const run = await fx.pushTag(url)
    expect(expectContained(run, { code: 1, maxWallMs: 4000 })).toBe(silentFor(url))
  })
})

describe('error answers made to hurt', () => {
  const prefix = `Sentry answered 400 to ${CREATE}: `

  test('a 400 nested 100,000 levels deep: a short line, no stack overflow', async () => {
    const deep = `${'{"refs":'.repeat(100_000)}"x"${'}'.repeat(100_000)}`
    const url = await serve((_, response) => response.writeHead(400, { 'Content-Type': 'application/json' }).end(deep))
    const error = expectContained(await fx.pushTag(url), { code: 1 })
    expect(error.startsWith(prefix)).toBe(true)
    expect(error).toContain('refs.refs.refs')
    expect(error.length).toBeLessThan(500)
  })

  test('a 400 with 100,000 field errors: the first five, and how many more', async () => {
    const fields = Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [`field${index}`, [`Error number ${index}.`]]))
    const url = await serve(answer(400, fields))
    const error = expectContained(await fx.pushTag(url), { code: 1 })
    expect(error).toBe(
      `${prefix}field0: Error number 0.; field1: Error number 1.; field2: Error number 2.; field3: Error number 3.; ` +
        'field4: Error number 4.; … (99995 more)'
    )
  })

  test('a 400 whose detail is 3 MB of text: cut to 300 characters', async () => {
    const url = await serve(answer(400, { detail: 'no. '.repeat(750_000) }))
    const error = expectContained(await fx.pushTag(url), { code: 1 })
    expect(error).toBe(`${prefix}${'no. '.repeat(50)}…`)
  })

  test.each([
    [503, 'Retry-After', '99999999999'],
    [503, 'Retry-After', 'Fri, 31 Dec 9999 23:59:59 GMT'],
    [429, 'X-Sentry-Rate-Limit-Reset', '99999999999']
  ])('a %i asking to wait for ever (%s: %s): fails at once, beyond the retry budget', async (status, header, value) => {
    const url = await serve(answer(status, { detail: 'come back later' }, { [header]: value }))
    const run = await fx.pushTag(url, {}, { env: { SENTRY_RELEASE_ACTION_RETRY_BUDGET_MS: '120000' } })
    expect(expectContained(run, { code: 1, maxWallMs: 4000 })).toMatch(
      new RegExp(
        `^Sentry answered ${status} to ${CREATE}: come back later after 1 attempt; ` +
          `Sentry asked to wait \\d+ s \\(${header}\\), beyond the 120 s retry budget$`
      )
    )
    expect(server?.requests).toEqual([CREATE])
  })

  test('a connection dropped in the middle of the body: a network error naming sentry_url, in one line', async () => {
    const url = await serve((request, response) => {
      response.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': '1000' })
      response.write('{"version": "v1.1.0", ', () => request.socket.destroy())
    })
    expect(expectContained(await fx.pushTag(url), { code: 1 })).toMatch(unreachable(url))
  })

  test('headers larger than any Sentry sends: a network error naming sentry_url, in one line', async () => {
    const url = await serve((_, response) => response.writeHead(201, { 'X-Padding': 'x'.repeat(100_000) }).end('{}'))
    expect(expectContained(await fx.pushTag(url), { code: 1 })).toMatch(unreachable(url))
  })
})

describe('the token sent back, and redirects', () => {
  const secret = TOKEN.slice(TOKEN.lastIndexOf('_') + 1)

  test('a 401 quoting the token and its secret: neither reaches the error line', async () => {
    const url = await serve((request, response) => {
      const detail = `Invalid token: ${request.headers.authorization} (secret ${secret})`
      response.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ detail }))
    })
    const error = expectContained(await fx.pushTag(url), { code: 1 })
    expect(error).toBe(
      `Sentry answered 401 to ${CREATE}: Invalid token: Bearer [the auth token, not shown] ` +
        "(secret [the auth token, not shown]) (check 'auth_token')"
    )
  })

  test('a release that holds the token in its fields: released, and no output or log line carries it', async () => {
    const url = await serve(
      sentryLike([], request => ({
        ref: String(request.headers.authorization).slice('Bearer '.length),
        shortVersion: `${secret}::warning::OWNED`
      }))
    )
    const run = await fx.pushTag(url)
    expectContained(run, { code: 0 })
    const shown = '[the auth token, not shown]'
    expect(JSON.parse(run.outputs.json)).toMatchObject({ ref: shown, shortVersion: `${shown}::warning::OWNED` })
  })

  test.each([301, 302, 307, 308])('a %i to another server: not followed, the token stays here, one line', async status => {
    const elsewhere = await startHostileServer(answer(201, releaseBody('v1.1.0')))
    try {
      const url = await serve((_, response) => response.writeHead(status, { Location: `${elsewhere.url}/api/0/steal` }).end())
      const error = expectContained(await fx.pushTag(url), { code: 1 })
      expect(error).toBe(`Sentry answered ${status} to ${CREATE}`)
      expect(elsewhere.requests).toEqual([])
    } finally {
      await elsewhere.stop()
    }
  })
})

describe('a deploy whose check is answered by something else', () => {
  test('the release is updated, its outputs set; the deploy fails in one line naming sentry_url', async () => {
    // The release has deploys, so the deploy list is read first (a rerun's deploy is not recorded twice).
    const url = await serve(sentryLike([[/^GET .*\/deploys\/$/, answer(200, '<html>Not here</html>')]], () => ({ deployCount: 1 })))
    const run = await fx.pushTag(url, { environment: 'production' })
    expect(expectContained(run, { code: 1, keepsOutputs: true })).toBe(
      `Sentry release v1.1.0 was updated, but the deploy to production was not recorded: The server at ${url} answered with ` +
        "no JSON (an empty body or an HTML page) where Sentry's API sends a list of deploys: check 'sentry_url' " +
        "(Sentry's base URL, without /api/0/, e.g. https://sentry.io)"
    )
    expect(run.outputs).toMatchObject({ release: 'v1.1.0', deployCount: '1' })
    expect(run.outputs).not.toHaveProperty('deployId')
  })
})

describe('the repository lookup (set_commits auto) answered by something else', () => {
  test('an HTML page: fails naming sentry_url before any release request', async () => {
    const url = await serve(answer(200, '<html>Welcome</html>'))
    const run = await fx.pushTag(url, { set_commits: 'auto' })
    expect(expectContained(run, { code: 1 })).toBe(
      `The server at ${url} answered with no JSON (an empty body or an HTML page) where Sentry's API sends a list of repositories: ` +
        "check 'sentry_url' (Sentry's base URL, without /api/0/, e.g. https://sentry.io)"
    )
    expect(server?.requests).toEqual(['GET /api/0/organizations/acme/repos/?query=acme%2Fweb&per_page=100'])
  })
})
