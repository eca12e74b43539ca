// The step's file ports on the real file system.
import { open, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import type { DirectoryPort } from '../../steps/sourcemaps/find-files.js'
import type { FilePort } from '../../steps/sourcemaps/process-files.js'

export const directories: DirectoryPort = {
  async list(dir) {
    try {
      const entries = await readdir(dir, { withFileTypes: true })
      return entries.map(entry => ({ name: entry.name, directory: entry.isDirectory(), file: entry.isFile() }))
    } catch {
      return undefined
    }
  },
  async kind(file) {
    const info = await stat(file).catch(() => undefined)
    return info?.isDirectory() ? 'directory' : info?.isFile() ? 'file' : undefined
  }
}

export const files: FilePort = {
  read: file => readFile(file),
  async readTail(file, bytes) {
    const handle = await open(file, 'r')
    try {
      const { size } = await handle.stat()
      const length = Math.min(size, bytes)
      const buffer = Buffer.alloc(length)
      const { bytesRead } = await handle.read(buffer, 0, length, size - length)
      return { text: buffer.subarray(0, bytesRead).toString('utf8'), whole: length === size }
    } finally {
      await handle.close()
    }
  },
  write: (file, data) => writeFile(file, data)
}
