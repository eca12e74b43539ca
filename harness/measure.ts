import { existsSync } from 'node:fs'

/** GNU time, which measures a process from outside: wall time and the peak resident memory of it and its children. */
export const GNU_TIME = '/usr/bin/time'

/** What GNU time saw of one process. */
export interface Usage {
  wallMs: number
  /** Maximum resident set size, in MiB. */
  peakRssMb: number
}

/** Whether runs can be measured here (GNU time is installed). */
export function canMeasure(): boolean {
  return existsSync(GNU_TIME)
}

/** The command and arguments that run `command` under GNU time, its report written to `reportFile` (not stderr). */
export function measured(command: string, args: string[], reportFile: string): { command: string; args: string[] } {
  return { command: GNU_TIME, args: ['--verbose', `--output=${reportFile}`, command, ...args] }
}

/** GNU time's --verbose report -> Usage; throws when a field is missing (the report is not GNU time's). */
export function parseTimeReport(report: string): Usage {
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)/.exec(report)
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(report)
  if (!wall || !rss) throw new Error(`not a GNU time report: ${report.slice(0, 200)}`)
  const [, hours = '0', minutes, seconds] = wall
  return {
    wallMs: Math.round((Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds)) * 1000),
    peakRssMb: Math.round(Number(rss[1]) / 1024)
  }
}
