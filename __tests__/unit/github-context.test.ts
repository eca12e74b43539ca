import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { checkEventPayload, githubContext, loadGitHubContext, MAX_PAYLOAD_BYTES, type ToolkitContext } from '../../src/io/github-context.js'

const SHA = 'a'.repeat(40)
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sra-event-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function payloadFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, name)
  await writeFile(file, text)
  return file
}

/** A context shaped as @actions/github's: `repo` is a getter that throws when nothing names the repository. */
function toolkitContext(fields: Partial<ToolkitContext>, repository?: string): ToolkitContext {
  return {
    payload: {},
    ...fields,
    get repo() {
      if (!repository) throw new Error("context.repo requires a GITHUB_REPOSITORY environment variable like 'owner/repo'")
      const [owner, repo] = repository.split('/')
      return { owner, repo }
    }
  }
}

describe('githubContext', () => {
  test("@actions/github's context, server URLs without a trailing slash (GitHub Enterprise Server)", () => {
    const urls = { serverUrl: 'https://ghe.example.com/', apiUrl: 'https://ghe.example.com/api/v3/' }
    const fields = { eventName: 'push', payload: { ref: 'refs/tags/v1' }, ref: 'refs/tags/v1', sha: SHA, ...urls }
    const context = toolkitContext(fields, 'acme/web')
    expect(githubContext(context)).toEqual({
      eventName: 'push',
      payload: { ref: 'refs/tags/v1' },
      ref: 'refs/tags/v1',
      sha: SHA,
      repository: 'acme/web',
      serverUrl: 'https://ghe.example.com',
      apiUrl: 'https://ghe.example.com/api/v3'
    })
  })

  test('defaults outside a runner: no repository rather than a failure', () => {
    expect(githubContext(toolkitContext({ serverUrl: '', apiUrl: '' }))).toEqual({
      eventName: '',
      payload: {},
      ref: '',
      sha: '',
      repository: '',
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com'
    })
  })
})

describe('checkEventPayload', () => {
  test('a JSON object, or no file at all, is fine', async () => {
    expect(() => checkEventPayload(undefined)).not.toThrow()
    expect(() => checkEventPayload('')).not.toThrow()
    const file = await payloadFile('ok.json', '{"ref": "refs/tags/v1"}')
    expect(() => checkEventPayload(file)).not.toThrow()
  })

  test('an unreadable payload fails with its path', () => {
    expect(() => checkEventPayload('/nonexistent/event.json')).toThrow(
      'Cannot read the event payload GITHUB_EVENT_PATH=/nonexistent/event.json: ENOENT'
    )
  })

  test('broken JSON, and JSON that is not an object, fail naming the file', async () => {
    const broken = await payloadFile('broken.json', '{"ref": ')
    expect(() => checkEventPayload(broken)).toThrow(new RegExp(`^Cannot read the event payload GITHUB_EVENT_PATH=${broken}: .*JSON`))
    const list = await payloadFile('list.json', '[1]')
    expect(() => checkEventPayload(list)).toThrow(`The event payload GITHUB_EVENT_PATH=${list} is not a JSON object`)
    for (const value of ['null', '42', '"text"']) {
      const file = await payloadFile('scalar.json', value)
      expect(() => checkEventPayload(file)).toThrow(`The event payload GITHUB_EVENT_PATH=${file} is not a JSON object`)
    }
  })

  test('a payload larger than GitHub sends fails before it is parsed', async () => {
    const huge = await payloadFile('huge.json', `{"padding": "${'x'.repeat(MAX_PAYLOAD_BYTES)}"}`)
    expect(() => checkEventPayload(huge)).toThrow(
      `Cannot read the event payload GITHUB_EVENT_PATH=${huge}: it has ${MAX_PAYLOAD_BYTES + 15} bytes; ` +
        "GitHub's event payloads have at most 25 MiB"
    )
  })
})

describe('loadGitHubContext', () => {
  // @actions/github builds its context from the environment when it is first imported, which loadGitHubContext does.
  test("reads the runner's variables and payload through @actions/github", async () => {
    const broken = await payloadFile('broken-first.json', 'not json')
    await expect(loadGitHubContext(broken)).rejects.toThrow('Cannot read the event payload GITHUB_EVENT_PATH=')
    const payload = { ref: 'refs/tags/v2', repository: { name: 'web', owner: { login: 'acme' } } }
    const file = await payloadFile('event.json', JSON.stringify(payload))
    const saved = { ...process.env }
    try {
      Object.assign(process.env, {
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: file,
        GITHUB_REF: 'refs/tags/v2',
        GITHUB_SHA: SHA,
        GITHUB_SERVER_URL: 'https://ghe.example.com',
        GITHUB_API_URL: 'https://ghe.example.com/api/v3'
      })
      delete process.env.GITHUB_REPOSITORY
      expect(await loadGitHubContext(file)).toEqual({
        eventName: 'push',
        payload,
        ref: 'refs/tags/v2',
        sha: SHA,
        repository: 'acme/web',
        serverUrl: 'https://ghe.example.com',
        apiUrl: 'https://ghe.example.com/api/v3'
      })
    } finally {
      process.env = saved
    }
  })
})
