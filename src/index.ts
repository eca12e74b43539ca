import * as core from '@actions/core'
import { errorMessage } from './core/errors.js'
import { run } from './main.js'

// run() turns its own errors into one line. This is the net under it: an error raised outside its awaits (an event no
// one listens to, a promise no one awaits) still ends the run as one line, never a stack trace.
const fail = (error: unknown): void => {
  core.setFailed(errorMessage(error))
  process.exit(1)
}
process.on('uncaughtException', fail)
process.on('unhandledRejection', fail)

await run()
