import { describe, expect, test } from '@jest/globals'
import { CommitLogParser, countArgs, type GitCommit, logArgs, pathspec } from '../../src/core/commit-log.js'

// Exactly what `git log -z --format=... --name-status --no-renames` writes: a rename, a merge, an empty commit.
const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const M = 'c'.repeat(40)
const output =
  `\x1e${A}\0Ada\0ada@example.com\x002024-01-01T00:06:00+00:00\0refactor: rename\n\nbody line\n\0\nD\0old name.ts\0A\0new\nname.ts\0` +
  `\x1e${M}\0Grace\0grace@example.com\x002024-01-01T00:05:00+00:00\0Merge branch 'side'\n\0` +
  `\x1e${B}\0Émile\0\x002024-01-01T00:04:00+00:00\0empty\n\0`

const expected: GitCommit[] = [
  {
    id: A,
    authorName: 'Ada',
    authorEmail: 'ada@example.com',
    timestamp: '2024-01-01T00:06:00+00:00',
    message: 'refactor: rename\n\nbody line',
    files: [
      { status: 'D', path: 'old name.ts' },
      { status: 'A', path: 'new\nname.ts' }
    ]
  },
  {
    id: M,
    authorName: 'Grace',
    authorEmail: 'grace@example.com',
    timestamp: '2024-01-01T00:05:00+00:00',
    message: "Merge branch 'side'",
    files: []
  },
  { id: B, authorName: 'Émile', authorEmail: '', timestamp: '2024-01-01T00:04:00+00:00', message: 'empty', files: [] }
]

function parse(chunks: string[]): GitCommit[] {
  const commits: GitCommit[] = []
  const parser = new CommitLogParser(commit => commits.push(commit))
  chunks.forEach(chunk => parser.push(chunk))
  parser.end()
  return commits
}

describe('CommitLogParser', () => {
  test('whole output', () => expect(parse([output])).toEqual(expected))

  test('split at every position: the same commits (git writes in arbitrary chunks)', () => {
    for (let at = 0; at <= output.length; at++) expect(parse([output.slice(0, at), output.slice(at)])).toEqual(expected)
  })

  test('a commit is emitted as soon as the next record starts, not at the end', () => {
    const seen: string[] = []
    const parser = new CommitLogParser(commit => seen.push(commit.id))
    parser.push(output.slice(0, output.indexOf(`\x1e${M}\0`) + M.length + 2))
    expect(seen).toEqual([A])
  })

  test('no output, no commits', () => expect(parse([''])).toEqual([]))
})

describe('git arguments', () => {
  test('log: config-proof plain output, NUL records, renames as D + A, revisions after --end-of-options, paths as root glob pathspecs after --', () => {
    expect(logArgs({ head: B, previous: A, paths: ['apps/web/**', '!apps/web/docs/**'], maxCount: 1000 })).toEqual([
      'log',
      '--no-show-signature',
      '--no-color',
      '--no-notes',
      '--no-relative',
      '--encoding=UTF-8',
      '-z',
      '--format=\x1e%H%x00%an%x00%ae%x00%aI%x00%B',
      '--name-status',
      '--no-renames',
      '--full-diff',
      '--max-count=1000',
      '--full-history',
      '--no-merges',
      '--end-of-options',
      B,
      `^${A}`,
      '--',
      ':(top,glob)apps/web/**',
      ':(top,glob,exclude)apps/web/docs/**'
    ])
  })

  test('count: the same selection; without paths merges stay and there is no start on a first release', () => {
    expect(countArgs({ head: B, paths: [] })).toEqual(['rev-list', '--count', '--full-history', '--end-of-options', B, '--'])
  })

  test('pathspec', () => {
    expect(pathspec('--output=x')).toBe(':(top,glob)--output=x')
    expect(pathspec('!docs')).toBe(':(top,glob,exclude)docs')
  })
})
