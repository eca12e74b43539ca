// `npm run emulator` start-up (emulator/launch.ts): the printed tokens and one-line errors for bad options.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_TOKEN, makeOrgToken } from '../../emulator/index.js'
import { launch } from '../../emulator/launch.js'
import { call } from './client.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-cli-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const seedFile = async (name: string, text: string): Promise<string> => {
  const file = join(dir, name)
  await writeFile(file, text)
  return file
}

describe('launch', () => {
  test('--port 0: the printed org token names the port chosen and still works after a reset', async () => {
    const lines: string[] = []
    const em = await launch(['--port', '0'], line => lines.push(line), true)
    try {
      expect(em.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(em.url).not.toBe('http://127.0.0.1:8000')
      const orgToken = makeOrgToken({ org: 'acme', url: em.url })
      expect(lines).toEqual([
        `Sentry emulator listening on ${em.url}`,
        `Token: ${DEFAULT_TOKEN} scopes org:ci`,
        `Token: ${orgToken} (org acme) scopes org:ci`
      ])
      expect((await call(em.url, 'POST', '/__emulator/reset', undefined, null)).status).toBe(204)
      const created = await call(em.url, 'POST', '/api/0/organizations/acme/releases/', { version: '1', projects: ['web'] }, orgToken)
      expect(created.status).toBe(201)
    } finally {
      await em.stop()
    }
  })

  test('--seed FILE: the seed is served and its tokens printed', async () => {
    const file = await seedFile(
      'ok.json',
      JSON.stringify({
        orgs: [{ slug: 'o', projects: [{ slug: 'p' }], repositories: [] }],
        tokens: [{ token: 'tok', scopes: ['org:ci'] }],
        releases: [{ org: 'o', version: 'v1', projects: ['p'], newGroups: 2 }]
      })
    )
    const lines: string[] = []
    const em = await launch(['--port', '0', '--seed', file], line => lines.push(line), true)
    try {
      expect(lines.slice(1)).toEqual(['Token: tok scopes org:ci'])
      expect(await call(em.url, 'GET', '/api/0/organizations/o/releases/v1/', undefined, 'tok')).toMatchObject({
        status: 200,
        body: { version: 'v1', newGroups: 2 }
      })
    } finally {
      await em.stop()
    }
  })

  test.each([
    ['bad.json', '{', /^--seed \S+bad\.json: invalid JSON \(.+\)$/],
    ['empty.json', '{}', /^--seed \S+empty\.json: "orgs" must be a list of \{"slug", "projects": \[\{"slug"\}\], "repositories": /],
    [
      'gitlab.json',
      '{"orgs": [{"slug": "o", "projects": [], "repositories": [{"name": "r", "provider": "gitlab"}]}], "tokens": []}',
      /^--seed \S+gitlab\.json: "orgs" must be .*"provider"\?: "github"\}\]\}$/
    ],
    [
      'no-tokens.json',
      '{"orgs": []}',
      /^--seed \S+no-tokens\.json: "tokens" must be a list of \{"token", "scopes"\?: \[\.\.\.\], "org"\?, "projects"\?: \[slug, \.\.\.\]\}$/
    ],
    [
      'orphan.json',
      '{"orgs": [], "tokens": [], "releases": [{"org": "x", "version": "1", "projects": []}]}',
      /^--seed \S+orphan\.json: seed release 1: unknown org x$/
    ]
  ])('--seed %s fails in one line naming the file and the problem', async (name, text, message) => {
    const file = await seedFile(name, text)
    await expect(launch(['--port', '0', '--seed', file], () => undefined, true)).rejects.toThrow(message)
  })

  test.each([
    [['--seed', '/nonexistent/seed.json'], '--seed /nonexistent/seed.json: no such file'],
    [['--git', '/nonexistent'], '--git /nonexistent: not a git working directory'],
    [['--port', 'http'], '--port http: expected a port number from 0 to 65535'],
    [['--port', '70000'], '--port 70000: expected a port number from 0 to 65535']
  ])('%j fails with a clear message', async (argv, message) => {
    await expect(launch(argv, () => undefined, true)).rejects.toThrow(new Error(message))
  })

  test('--git DIR that is not a git repository fails before listening', async () => {
    await expect(launch(['--port', '0', '--git', dir], () => undefined, true)).rejects.toThrow(
      new Error(`--git ${dir}: not a git working directory`)
    )
  })
})
