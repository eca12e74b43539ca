import * as core from '@actions/core'
import { commandFree } from '../core/log-text.js'

/** Where a step writes its progress lines. */
export type Log = (line: string) => void

// The runner's log has no nested groups: inside one, the lines of another block simply join it.
let inOpenGroup = false

/** Runs work inside a collapsed log group (core.startGroup/endGroup), unless a group is open already. */
export async function inGroup<T>(title: string, work: () => Promise<T>): Promise<T> {
  if (inOpenGroup) return work()
  core.startGroup(title)
  inOpenGroup = true
  try {
    return await work()
  } finally {
    inOpenGroup = false
    core.endGroup()
  }
}

/**
 * Runs work whose lines may be many (history fetched into a shallow checkout) in a collapsed log group, opened
 * by its first line: work that logs nothing leaves no empty group behind.
 */
export async function inGroupIfLogging<T>(title: string, work: (log: Log) => Promise<T>): Promise<T> {
  let opened = false
  const log: Log = line => {
    if (!opened && !inOpenGroup) {
      core.startGroup(title)
      opened = inOpenGroup = true
    }
    info(line)
  }
  try {
    return await work(log)
  } finally {
    if (opened) {
      inOpenGroup = false
      core.endGroup()
    }
  }
}

/** core.info for text that may carry outside values: no line of it can become a workflow command. */
export function info(text: string): void {
  core.info(commandFree(text))
}
