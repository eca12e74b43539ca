import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'

/** The action's modules, read once: every .ts file under src/ (all layer folders), by path relative to src/. */
export function sourceFiles(): Map<string, string> {
  const names = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter(name => name.endsWith('.ts'))
  return new Map(names.sort().map(name => [name, readFileSync(path.join('src', name), 'utf8')]))
}
