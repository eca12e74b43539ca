import { mkdtemp, open, rm } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import type { TempBundleFile } from '../../steps/sourcemaps/ports.js'

export async function createTempBundleFile(env: NodeJS.ProcessEnv = process.env): Promise<TempBundleFile> {
  const dir = await mkdtemp(path.join(env.RUNNER_TEMP || os.tmpdir(), 'sentry-bundle-'))
  const file = path.join(dir, 'bundle.zip')
  const handle: FileHandle = await open(file, 'w+')
  let size = 0
  return {
    path: file,
    size: () => size,
    async append(data) {
      await handle.write(data, 0, data.length, size)
      size += data.length
    },
    async read(offset, length) {
      const buffer = Buffer.alloc(length)
      let done = 0
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, offset + done)
        if (bytesRead === 0) throw new Error(`The bundle file ${file} ended at ${offset + done} bytes, before ${offset + length}`)
        done += bytesRead
      }
      return buffer
    },
    async remove() {
      await handle.close().catch(() => undefined)
      await rm(dir, { recursive: true, force: true })
    }
  }
}
