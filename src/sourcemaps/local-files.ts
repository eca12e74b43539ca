// The step's file ports on the real file system.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import type { DirectoryPort } from './find-files.js'
import type { FilePort } from './process-files.js'

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
  write: (file, data) => writeFile(file, data)
}
