import { describe, expect, test } from '@jest/globals'
import { commitCollector, commitDataWarnings, describeCommits, sentryCommit } from '../../src/core/commit-data.js'
import type { GitCommit } from '../../src/core/commit-log.js'

const gitCommit = (overrides: Partial<GitCommit> = {}): GitCommit => ({
  id: 'a'.repeat(40),
  authorName: 'Ada',
  authorEmail: 'ada@example.com',
  timestamp: '2024-01-01T00:06:00+00:00',
  message: 'feat: one\n\nbody',
  files: [],
  ...overrides
})

describe('sentryCommit', () => {
  test('fields as Sentry takes them, status letters as patch types (T is a modification)', () => {
    const files = [
      { status: 'A', path: 'a' },
      { status: 'M', path: 'm' },
      { status: 'D', path: 'd' },
      { status: 'T', path: 't' }
    ]
    expect(sentryCommit(gitCommit({ files }), 'acme/web')).toEqual({
      commit: {
        id: 'a'.repeat(40),
        repository: 'acme/web',
        message: 'feat: one\n\nbody',
        author_name: 'Ada',
        author_email: 'ada@example.com',
        timestamp: '2024-01-01T00:06:00+00:00',
        patch_set: [
          { path: 'a', type: 'A' },
          { path: 'm', type: 'M' },
          { path: 'd', type: 'D' },
          { path: 't', type: 'M' }
        ]
      },
      droppedPaths: 0
    })
  })

  test("Sentry's limits: author_name cut at 128 characters (code points), author_email over 200 left out, paths over 510 left out", () => {
    const name = '😀'.repeat(130)
    const { commit, droppedPaths } = sentryCommit(
      gitCommit({
        authorName: name,
        authorEmail: `${'e'.repeat(190)}@example.com`,
        files: [
          { status: 'A', path: 'p'.repeat(510) },
          { status: 'A', path: 'q'.repeat(511) }
        ]
      }),
      'acme/web'
    )
    expect(commit.author_name).toBe('😀'.repeat(128))
    expect(commit).not.toHaveProperty('author_email')
    expect(commit.patch_set).toEqual([{ path: 'p'.repeat(510), type: 'A' }])
    expect(droppedPaths).toBe(1)
  })
})

describe('collecting and reporting', () => {
  const collected = () => {
    const collector = commitCollector('acme/web', 5)
    collector.add(gitCommit({ id: '1'.repeat(40), message: 'newest', files: [{ status: 'M', path: 'x'.repeat(600) }] }))
    collector.add(gitCommit({ id: '2'.repeat(40), message: 'oldest\nmore', files: [{ status: 'A', path: 'a' }] }))
    return collector.result()
  }

  test('warnings: the cap (only when it cut the list) and the paths left out', () => {
    expect(commitDataWarnings(collected(), 2)).toEqual([
      'The range has 5 commits; Sentry gets the newest 2 (raise max_commits to send more).',
      "1 file path(s) longer than 510 characters were left out of the commits' patch_set (Sentry's limit)."
    ])
    expect(commitDataWarnings({ ...collected(), droppedPaths: 0, total: 2 }, 2)).toEqual([])
  })

  test('a one-line description instead of the list', () => {
    expect(describeCommits(collected().commits)).toBe(
      `2 commit(s) from git, newest first: ${'1'.repeat(12)} "newest" … ${'2'.repeat(12)} "oldest"; 1 file change(s)`
    )
    expect(describeCommits([])).toBe('0 commits')
  })
})
