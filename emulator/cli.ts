// `npm run emulator -- [--port N] [--seed FILE] [--git DIR]`: a Sentry emulator for the shell, logging each request.
import { launch } from './launch.js'

launch(process.argv.slice(2), line => console.log(line))
  .then(emulator => {
    const stop = () => void emulator.stop().then(() => process.exit(0))
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  .catch((e: unknown) => {
    console.error(`sentry emulator: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  })
