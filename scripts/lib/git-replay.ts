// Child-process entry for the benchmark: runs a list of git calls `repeat` times in `cwd` and prints the
// wall time of each repetition (ms) as JSON. A small process like the action's, so each spawn costs what
// it costs the action (forking the large bench process itself took several ms more per call).
// Arguments: cwd repeat calls-as-JSON (an array of argument arrays).
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const [cwd, repeat, json] = process.argv.slice(2)
const calls = JSON.parse(json) as string[][]
const totals: number[] = []
for (let i = 0; i < Number(repeat); i++) {
  const start = performance.now()
  // Exit codes are not checked: `rev-parse --verify --quiet` answers 1 for "no such commit" by design.
  for (const args of calls) await promisify(execFile)('git', args, { cwd, env: { PATH: process.env.PATH } }).catch(() => undefined)
  totals.push(performance.now() - start)
}
console.log(JSON.stringify(totals))
