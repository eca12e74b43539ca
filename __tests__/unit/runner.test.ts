import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as runner from '../../src/runner.js'

// Expected bytes were checked against @actions/core 3 itself (same calls, byte-identical stdout and files).

let dir: string
let stdout: string
const savedEnv = { ...process.env }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runner-test-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
beforeEach(() => {
  stdout = ''
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    stdout += String(chunk)
    return true
  })
})
afterEach(() => {
  jest.restoreAllMocks()
  process.env = { ...savedEnv }
  process.exitCode = undefined
})

async function emptyFile(name: string): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, '')
  return file
}

describe('getInput', () => {
  test('reads INPUT_<NAME> with spaces as underscores, trimmed', () => {
    process.env.INPUT_SENTRY_URL = '  https://sentry.example.com \n'
    process.env['INPUT_MY_INPUT'] = ' a b '
    expect(runner.getInput('sentry_url')).toBe('https://sentry.example.com')
    expect(runner.getInput('my input')).toBe('a b')
  })

  test("unset is ''", () => {
    delete process.env.INPUT_ORG
    expect(runner.getInput('org')).toBe('')
  })
})

describe('setOutput', () => {
  test('appends a heredoc with a fresh ghadelimiter_<uuid> per value to GITHUB_OUTPUT', async () => {
    process.env.GITHUB_OUTPUT = await emptyFile('output')
    runner.setOutput('release', 'v1.2.0')
    runner.setOutput('json', { a: 1, b: 'x\ny' })
    const text = await readFile(process.env.GITHUB_OUTPUT, 'utf8')
    const heredoc = /^(\w+)<<(ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\n([^]*?)\n\2\n/
    const first = heredoc.exec(text)
    const second = heredoc.exec(text.slice(first?.[0].length))
    expect([first?.[1], first?.[3], second?.[1], second?.[3]]).toEqual(['release', 'v1.2.0', 'json', '{"a":1,"b":"x\\ny"}'])
    expect(first?.[2]).not.toBe(second?.[2])
    expect(first![0].length + second![0].length).toBe(text.length)
    expect(stdout).toBe('')
  })

  test('a multi-line value stays whole between the delimiters', async () => {
    process.env.GITHUB_OUTPUT = await emptyFile('multiline')
    runner.setOutput('notes', 'one\ntwo\n')
    const text = await readFile(process.env.GITHUB_OUTPUT, 'utf8')
    const delimiter = text.slice('notes<<'.length, text.indexOf('\n'))
    expect(text).toBe(`notes<<${delimiter}\none\ntwo\n\n${delimiter}\n`)
  })

  test('a missing file throws rather than losing the output', () => {
    process.env.GITHUB_OUTPUT = join(dir, 'absent')
    expect(() => runner.setOutput('a', 'b')).toThrow(new Error(`Missing file at path: ${join(dir, 'absent')}`))
  })

  test('without GITHUB_OUTPUT: an empty line then the escaped ::set-output command', () => {
    delete process.env.GITHUB_OUTPUT
    runner.setOutput('o', 'v%\nw')
    expect(stdout).toBe('\n::set-output name=o::v%25%0Aw\n')
  })
})

describe('commands on stdout', () => {
  test('info is the plain line; notice, warning and setFailed escape %, CR and LF', () => {
    runner.info('plain % text\r\nline2')
    runner.notice('n\r\na%b:c,d')
    runner.warning('w')
    runner.setFailed('boom%\n')
    expect(stdout).toBe('plain % text\r\nline2\n::notice::n%0D%0Aa%25b:c,d\n::warning::w\n::error::boom%25%0A\n')
  })

  test('a command property escapes : and , as well', () => {
    delete process.env.GITHUB_OUTPUT
    runner.setOutput('a:b,c', 'v')
    expect(stdout).toBe('\n::set-output name=a%3Ab%2Cc::v\n')
  })

  test('setSecret masks the escaped value', () => {
    runner.setSecret('sec%ret\nx')
    expect(stdout).toBe('::add-mask::sec%25ret%0Ax\n')
  })

  test('setFailed logs an error and sets exit code 1 without exiting', () => {
    runner.setFailed("Input 'org': required")
    expect(stdout).toBe("::error::Input 'org': required\n")
    expect(process.exitCode).toBe(1)
  })
})

describe('summary', () => {
  test('write appends the collected text to GITHUB_STEP_SUMMARY and empties the buffer', async () => {
    process.env.GITHUB_STEP_SUMMARY = await emptyFile('summary')
    await writeFile(process.env.GITHUB_STEP_SUMMARY, 'earlier step\n')
    await runner.summary.addRaw('## Release').addRaw(' v1\n').write()
    await runner.summary.addRaw('more\n').write()
    expect(await readFile(process.env.GITHUB_STEP_SUMMARY, 'utf8')).toBe('earlier step\n## Release v1\nmore\n')
  })

  test('write rejects when the runner gives no summary file', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await expect(runner.summary.addRaw('x').write()).rejects.toThrow('Unable to find environment variable for $GITHUB_STEP_SUMMARY')
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'absent-summary')
    await expect(runner.summary.write()).rejects.toThrow(`Unable to access summary file: '${join(dir, 'absent-summary')}'`)
  })
})
