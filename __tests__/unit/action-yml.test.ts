import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { readSettings } from '../../src/settings.js'
import { releaseOutputs } from '../../src/report.js'
import { buildPlan } from '../../src/plan.js'
import { HEAD, tagPushPlanInputs } from '../helpers/fixtures.js'

const actionYml = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

/** Names and descriptions of a top-level section (two-space indented names), in order. */
function section(name: string): Array<[string, string]> {
  const body = actionYml.split(new RegExp(`^${name}:\\n`, 'm'))[1].split(/^\S/m)[0]
  return [...body.matchAll(/^ {2}(\w+):\n {4}description: "?(.*?)"?$/gm)].map(match => [match[1], match[2]])
}
const sectionKeys = (name: string): string[] => section(name).map(([key]) => key)

describe('action.yml matches the code', () => {
  test('runs on node24 from dist/index.js', () => {
    expect(actionYml).toMatch(/runs:\n {2}using: node24\n {2}main: dist\/index\.js/)
  })

  test('every input is read by readSettings, and nothing else', () => {
    const read: string[] = []
    readSettings({ GITHUB_REPOSITORY: 'acme/web' }, name => {
      read.push(name)
      return { org: 'acme', dry_run: 'true' }[name] ?? ''
    })
    expect([...new Set(read)].sort()).toEqual(sectionKeys('inputs').sort())
  })

  test('every output is set after a release', () => {
    const plan = buildPlan(tagPushPlanInputs())
    const release = { commitCount: 0, deployCount: 0, newGroups: 0, dateCreated: 'd', dateReleased: 'd', lastCommit: { id: HEAD }, lastDeploy: { id: '1' } }
    const deployed = { deploy: { id: '1', environment: 'production' }, created: true, release }
    expect(Object.keys(releaseOutputs(plan, release, deployed))).toEqual(sectionKeys('outputs'))
  })

  test('the README tables list every input and output with its description, in order', () => {
    for (const name of ['inputs', 'outputs']) {
      const rows = section(name).map(([key, description]) => `| \`${key}\` | ${description} |`)
      const readmeRows = readme.split('\n').filter(line => rows.some(row => line.startsWith(row)))
      expect(readmeRows.map(line => line.split(' | ')[0])).toEqual(rows.map(row => row.split(' | ')[0]))
    }
    expect(readme.match(/^\| `\w+` \|/gm)).toHaveLength(sectionKeys('inputs').length + sectionKeys('outputs').length)
  })
})
