import { describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { sourceFiles } from '../helpers/source-files.js'

// Every runner interaction goes through the toolkit (@actions/core, @actions/github, @actions/http-client):
// no module of the action writes workflow commands, reads the runner's files or speaks HTTP by hand.

const sources = (): Array<[string, string]> => [...sourceFiles()]

describe('the action speaks to the runner through the toolkit', () => {
  test('`import * as core` names @actions/core only; the hand-written src/runner.ts is gone', () => {
    expect(existsSync('src/runner.ts')).toBe(false)
    const imports = sources().flatMap(([name, text]) =>
      [...text.matchAll(/import \* as core from '([^']+)'/g)].map(([, from]) => `${name}: ${from}`)
    )
    expect(imports.length).toBeGreaterThan(10)
    expect(imports.filter(line => !line.endsWith(': @actions/core'))).toEqual([])
  })

  test('no workflow commands, runner files or stdout writes by hand', () => {
    const byHand = /process\.stdout\.write|'::|`::|add-mask/
    const offending = sources()
      .filter(([, text]) => byHand.test(text))
      .map(([name]) => name)
    expect(offending).toEqual([])
    // A runner file's name may appear in a message (a full disk names the file); no module that names one writes files.
    const writesFiles = /node:fs|appendFile|writeFile|createWriteStream|openSync/
    const writers = sources().filter(([, text]) => /GITHUB_(OUTPUT|STEP_SUMMARY|ENV|STATE)/.test(text) && writesFiles.test(text))
    expect(writers.map(([name]) => name)).toEqual([])
  })

  test('no HTTP by hand: no node:https, node:tls or node:net, no http.request or CONNECT tunnel', () => {
    const byHand = /from 'node:(https|tls|net)'|\.request\(|'CONNECT'/
    const offending = sources()
      .filter(([, text]) => byHand.test(text))
      .map(([name]) => name)
    expect(offending).toEqual([])
  })

  test('the GitHub context comes from @actions/github, not from GITHUB_* variables read by hand', () => {
    const byHand = /env\.GITHUB_(EVENT_NAME|SHA|REF|SERVER_URL|API_URL)\b/
    const offending = sources()
      .filter(([, text]) => byHand.test(text))
      .map(([name]) => name)
    expect(offending).toEqual([])
  })
})
