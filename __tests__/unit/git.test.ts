import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import type { GitCommit } from '../../src/core/commit-log.js'
import * as core from '../../__fixtures__/core.js'
import { makeRepo, type TestRepo } from '../../harness/git-repo.js'

// core.debug takes each git command's debug line (checked below) instead of the test's stdout.
jest.unstable_mockModule('@actions/core', () => core)
const { createGit, gitDebugText, gitFailureReason, meansNoTag } = await import('../../src/io/git.js')

describe('gitFailureReason', () => {
  test.each([
    ["warning: redirecting to https://x/\nfatal: couldn't find remote ref v1\n", "fatal: couldn't find remote ref v1"],
    ['hint: a hint\nerror: some refs were rejected\n', 'error: some refs were rejected'],
    ['something odd\n', 'something odd'],
    ['', 'exit code 128']
  ])('%j -> %s', (stderr, reason) => expect(gitFailureReason(stderr, 128)).toBe(reason))
})

describe('gitDebugText (step debug logging)', () => {
  test('the command, exit code, time and the start of its output on one line', () => {
    const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: 'ignored' })
    expect(gitDebugText(['rev-parse', 'HEAD'], ok('abc\n'), 3)).toBe('git rev-parse HEAD -> exit 0 in 3 ms: abc')
    expect(gitDebugText(['tag', '--list'], ok('v1\nv2\n'), 1)).toBe('git tag --list -> exit 0 in 1 ms: v1 | v2')
    expect(gitDebugText(['describe'], { exitCode: 128, stdout: '', stderr: 'fatal: No names found\n' }, 2)).toBe(
      'git describe -> exit 128 in 2 ms (stderr: fatal: No names found)'
    )
  })

  test('long output is cut at 200 characters', () => {
    const line = gitDebugText(['log'], { exitCode: 0, stdout: 'x'.repeat(500), stderr: '' }, 1)
    expect(line).toBe(`git log -> exit 0 in 1 ms: ${'x'.repeat(200)}…`)
  })
})

describe('a fake git on PATH', () => {
  const A = 'a'.repeat(40)
  const B = 'b'.repeat(40)
  let dir: string
  const originalPath = process.env.PATH
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sra-fake-git-'))
    const go = path.join(dir, 'go')
    const fields = (name: string) => `printf '${name}\\000${name}@example.com\\000%s\\000${name} wrote\\n\\000' 2024-01-01T00:00:00+00:00`
    // `log` writes one commit and the next one's id (the parser knows the first is complete), then waits (up to 5 s)
    // for the test to have received the first before it writes the rest.
    const script = [
      '#!/bin/sh',
      'case "$1" in',
      'log)',
      `  printf '\\036${A}\\000'; ${fields('ada')}; printf '\\036${B}\\000'`,
      '  i=0',
      `  while [ ! -e '${go}' ]; do i=$((i+1)); [ $i -gt 100 ] && { echo 'fatal: the first commit was not read while git ran' >&2; exit 3; }; sleep 0.05; done`,
      `  ${fields('bob')} ;;`,
      '*) echo "warning: a warning first" >&2; echo "fatal: GIT_TERMINAL_PROMPT=$GIT_TERMINAL_PROMPT" >&2; exit 128 ;;',
      'esac'
    ].join('\n')
    await mkdir(path.join(dir, 'bin'))
    await writeFile(path.join(dir, 'bin', 'git'), script + '\n')
    await chmod(path.join(dir, 'bin', 'git'), 0o755)
    process.env.PATH = `${path.join(dir, 'bin')}${path.delimiter}${originalPath}`
  })
  afterAll(async () => {
    process.env.PATH = originalPath
    await rm(dir, { recursive: true, force: true })
  })

  test('readCommits parses each commit while git is still writing (streamed, not buffered until exit)', async () => {
    const seen: GitCommit[] = []
    await createGit(dir).readCommits({ head: B, paths: [] }, commit => {
      seen.push(commit)
      // git waits for this file before writing the second commit: a buffered reader would never create it.
      if (seen.length === 1) void writeFile(path.join(dir, 'go'), '')
    })
    expect(seen.map(({ id, authorName, message }) => [id, authorName, message])).toEqual([
      [A, 'ada', 'ada wrote'],
      [B, 'bob', 'bob wrote']
    ])
  }, 15_000)

  test('a failure names its fatal line, and git never prompts for credentials', async () => {
    await expect(createGit(dir).deepen('origin', A, 50)).rejects.toThrow(`git fetch failed in ${dir}: fatal: GIT_TERMINAL_PROMPT=0`)
  })
})

describe('git log on a real repository, run from a subdirectory (working_directory)', () => {
  let repo: TestRepo
  let head: string
  beforeAll(async () => {
    repo = await makeRepo()
    for (const file of ['apps/web/a.ts', 'apps/api/b.ts', 'docs/c.md']) {
      await mkdir(path.dirname(path.join(repo.dir, file)), { recursive: true })
      await writeFile(path.join(repo.dir, file), file)
    }
    await repo.git('add', '--all')
    await repo.git('commit', '--quiet', '-m', 'first', '--author=Émile Zola <emile@example.com>')
    head = await repo.git('rev-parse', 'HEAD')
  })
  afterAll(() => repo.remove())

  test('paths are globs from the repository root; * does not cross /', async () => {
    const git = createGit(path.join(repo.dir, 'apps'))
    const count = (paths: string[]) => git.countCommits({ head, paths })
    expect([await count(['docs/**']), await count(['apps/web/**']), await count(['*.md']), await count(['**/*.md'])]).toEqual([1, 1, 0, 1])
    const files: string[] = []
    await git.readCommits({ head, paths: ['apps/**', '!apps/api/**'] }, commit => files.push(...commit.files.map(file => file.path)))
    expect(files).toEqual(['apps/api/b.ts', 'apps/web/a.ts', 'docs/c.md']) // --full-diff: the whole commit's files
  })

  test('repository config that changes git log output changes nothing', async () => {
    const config = {
      'log.showSignature': 'true',
      'color.ui': 'always',
      'diff.relative': 'true',
      'i18n.logOutputEncoding': 'ISO-8859-1',
      'notes.displayRef': 'refs/notes/*'
    }
    for (const [key, value] of Object.entries(config)) await repo.git('config', key, value)
    await repo.git('notes', 'add', '-m', 'a note', head)
    const commits: GitCommit[] = []
    await createGit(path.join(repo.dir, 'apps')).readCommits({ head, paths: [] }, commit => commits.push(commit))
    expect(commits).toEqual([
      {
        id: head,
        authorName: 'Émile Zola',
        authorEmail: 'emile@example.com',
        timestamp: expect.any(String),
        message: 'first',
        files: ['apps/api/b.ts', 'apps/web/a.ts', 'docs/c.md'].map(file => ({ status: 'A', path: file }))
      }
    ])
  })
})

describe('a broken repository is a failure, never "no earlier tag"', () => {
  let repo: TestRepo
  beforeAll(async () => {
    repo = await makeRepo()
    await repo.commit('one')
    await repo.tag('v1.0.0')
    const lost = await repo.commit('two')
    await repo.commit('three')
    // A missing object: git describe prints `error: Could not read …` and then "No tags can describe".
    await rm(path.join(repo.dir, '.git', 'objects', lost.slice(0, 2), lost.slice(2)))
  })
  afterAll(() => repo.remove())

  test('describe fails naming the error line', async () => {
    await expect(createGit(repo.dir).nearestTag('HEAD', 'v*')).rejects.toThrow(
      /git describe failed in .*: error: Could not read [0-9a-f]{40}/
    )
  })

  test('meansNoTag: only a plain "no names" answer is "no tag"', () => {
    expect(meansNoTag('fatal: No names found, cannot describe anything.\n')).toBe(true)
    expect(meansNoTag("error: Could not read abc\nfatal: No tags can describe 'def'.\n")).toBe(false)
  })

  test('working_directory naming a file fails naming the input', async () => {
    await expect(createGit(path.join(repo.dir, '.git', 'HEAD')).isShallow()).rejects.toThrow(
      /^Input 'working_directory': .*HEAD is a file, not a directory$/
    )
  })
})
