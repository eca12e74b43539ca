import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { readSettings } from '../../src/io/inputs.js'
import { readSourceMapSettings } from '../../src/core/sourcemaps/settings.js'
import { releaseOutputs } from '../../src/core/report-text.js'
import { buildPlan } from '../../src/core/plan.js'
import { sourceMapOutputs } from '../../src/core/sourcemaps/report.js'
import { HEAD, tagPushPlanInputs } from '../helpers/fixtures.js'

const actionYml = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

interface ActionMetadata {
  runs: { using: string; main: string }
  branding: { icon: string; color: string }
  inputs: Record<string, { description: string }>
  outputs: Record<string, { description: string }>
}

// Parsed as the runner parses it: a description with an unquoted ': ' would fail here, not on GitHub.
const metadata = parse(actionYml) as ActionMetadata

/** Names and descriptions of `inputs` or `outputs`, in file order. */
function section(name: 'inputs' | 'outputs'): Array<[string, string]> {
  return Object.entries(metadata[name]).map(([key, { description }]) => [key, description])
}
const sectionKeys = (name: 'inputs' | 'outputs'): string[] => section(name).map(([key]) => key)

describe('action.yml matches the code', () => {
  test('runs on node24 from dist/index.js, with branding and a description for every input and output', () => {
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(metadata.branding).toEqual({ icon: expect.any(String), color: expect.any(String) })
    for (const [, description] of [...section('inputs'), ...section('outputs')]) expect(description).toMatch(/\S/)
  })

  test('every input is read by readSettings or readSourceMapSettings, and nothing else', () => {
    const read: string[] = []
    const input = (name: string): string => {
      read.push(name)
      return { org: 'acme', dry_run: 'true', sourcemaps: 'dist' }[name] ?? ''
    }
    readSettings({ GITHUB_REPOSITORY: 'acme/web' }, input)
    readSourceMapSettings({}, input)
    expect([...new Set(read)].sort()).toEqual(sectionKeys('inputs').sort())
  })

  test('every output is set after a release with source maps', () => {
    const plan = buildPlan(tagPushPlanInputs())
    const release = {
      commitCount: 0,
      deployCount: 0,
      newGroups: 0,
      dateCreated: 'd',
      dateReleased: 'd',
      lastCommit: { id: HEAD },
      lastDeploy: { id: '1' }
    }
    const deployed = { deploy: { id: '1', environment: 'production' }, created: true, release }
    const bundle = { id: 'i', checksum: 'c', size: 1, files: 1, chunks: 1, chunkSize: 1 }
    const upload = { chunksSent: 1, bytesSent: 1, state: 'ok' }
    const sourceMaps = sourceMapOutputs({ mode: 'both', dryRun: false, files: [], bundle, upload, requests: [] }, '/', release)
    const outputs = { ...releaseOutputs(plan, release, deployed), ...sourceMaps }
    expect(Object.keys(outputs).sort()).toEqual(sectionKeys('outputs').sort())
  })

  test('the README tables list every input and output with its description, in order', () => {
    for (const name of ['inputs', 'outputs'] as const) {
      const rows = section(name).map(([key, description]) => `| \`${key}\` | ${description} |`)
      const readmeRows = readme.split('\n').filter(line => rows.some(row => line.startsWith(row)))
      expect(readmeRows.map(line => line.split(' | ')[0])).toEqual(rows.map(row => row.split(' | ')[0]))
    }
    expect(readme.match(/^\| `\w+` \|/gm)).toHaveLength(sectionKeys('inputs').length + sectionKeys('outputs').length)
  })
})
