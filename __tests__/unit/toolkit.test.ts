import { describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import * as path from 'node:path'

// Every runner interaction goes through the toolkit (@actions/core, @actions/github, @actions/http-client):
// no module of the action writes workflow commands, reads the runner's files or speaks HTTP by hand.

/** Every module of src/, in every layer folder: [path under src/, text]. */
async function sources(): Promise<Array<[string, string]>> {
  const names = (await readdir('src', { recursive: true })).filter(name => name.endsWith('.ts'))
  return Promise.all(names.map(async (name): Promise<[string, string]> => [name, await readFile(path.join('src', name), 'utf8')]))
}

describe('the action speaks to the runner through the toolkit', () => {
  test('`import * as core` names @actions/core only; the hand-written src/runner.ts is gone', async () => {
    expect(existsSync('src/runner.ts')).toBe(false)
    const imports = (await sources()).flatMap(([name, text]) =>
      [...text.matchAll(/import \* as core from '([^']+)'/g)].map(([, from]) => `${name}: ${from}`)
    )
    expect(imports.length).toBeGreaterThan(10)
    expect(imports.filter(line => !line.endsWith(': @actions/core'))).toEqual([])
  })

  test('no workflow commands, runner files or stdout writes by hand', async () => {
    const byHand = /process\.stdout\.write|'::|`::|add-mask/
    const offending = (await sources()).filter(([, text]) => byHand.test(text)).map(([name]) => name)
    expect(offending).toEqual([])
    // A runner file's name may appear in a message (a full disk names the file); no module that names one writes files.
    const writesFiles = /node:fs|appendFile|writeFile|createWriteStream|openSync/
    const writers = (await sources()).filter(([, text]) => /GITHUB_(OUTPUT|STEP_SUMMARY|ENV|STATE)/.test(text) && writesFiles.test(text))
    expect(writers.map(([name]) => name)).toEqual([])
  })

  test('no HTTP by hand: no node:https, node:tls or node:net, no http.request or CONNECT tunnel', async () => {
    const byHand = /from 'node:(https|tls|net)'|\.request\(|'CONNECT'/
    const offending = (await sources()).filter(([, text]) => byHand.test(text)).map(([name]) => name)
    expect(offending).toEqual([])
  })

  test('the GitHub context comes from @actions/github, not from GITHUB_* variables read by hand', async () => {
    const byHand = /env\.GITHUB_(EVENT_NAME|SHA|REF|SERVER_URL|API_URL)\b/
    const offending = (await sources()).filter(([, text]) => byHand.test(text)).map(([name]) => name)
    expect(offending).toEqual([])
  })
})
