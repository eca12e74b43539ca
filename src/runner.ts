// The part of @actions/core 3 this action uses, with the same names and the same bytes on stdout and in the
// runner's files (mirrors its lib/core.js, command.js, file-command.js, utils.js and summary.js).
// Why not @actions/core itself: it imports @actions/http-client, which loads all of undici at start-up —
// ~1 MB of a 1.06 MB bundle and ~50 ms per run (README, Performance).
import { randomUUID } from 'node:crypto'
import { appendFileSync, existsSync } from 'node:fs'
import { access, appendFile, constants } from 'node:fs/promises'
import { EOL } from 'node:os'

/** An input's value from INPUT_<NAME> (spaces become '_'), trimmed; '' when unset. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim()
}

/** Sets a step output: appended to the GITHUB_OUTPUT file, or the legacy command when the runner gives none. */
export function setOutput(name: string, value: unknown): void {
  const file = process.env.GITHUB_OUTPUT || ''
  if (file) return appendFileCommand(file, keyValueMessage(name, value))
  process.stdout.write(EOL)
  issueCommand('set-output', { name }, toCommandValue(value))
}

/** Masks a value in every later log line of the job. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret)
}

/** Logs an error annotation and makes the process exit with code 1 once it ends. */
export function setFailed(message: string): void {
  process.exitCode = 1
  annotate('error', message)
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

export function notice(message: string): void {
  annotate('notice', message)
}

export function warning(message: string): void {
  annotate('warning', message)
}

/** The job summary: text collected with addRaw, appended to the GITHUB_STEP_SUMMARY file by write. */
class Summary {
  private buffer = ''

  addRaw(text: string): Summary {
    this.buffer += text
    return this
  }

  async write(): Promise<Summary> {
    const file = process.env.GITHUB_STEP_SUMMARY
    if (!file) {
      throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.')
    }
    try {
      await access(file, constants.R_OK | constants.W_OK)
    } catch {
      throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`)
    }
    await appendFile(file, this.buffer, { encoding: 'utf8' })
    this.buffer = ''
    return this
  }
}

export const summary = new Summary()

function annotate(kind: string, message: string): void {
  issueCommand(kind, {}, message)
}

/** `::name key=value,key=value::message` on stdout; empty property values are left out, as core does. */
function issueCommand(name: string, properties: Record<string, unknown>, message: unknown): void {
  const pairs = Object.entries(properties)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
  const head = Object.keys(properties).length > 0 ? ` ${pairs.join(',')}` : ''
  process.stdout.write(`::${name}${head}::${escapeData(message)}${EOL}`)
}

function appendFileCommand(file: string, message: string): void {
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
  appendFileSync(file, `${message}${EOL}`, { encoding: 'utf8' })
}

// A random delimiter per value, so no value can end the heredoc early and smuggle in another output.
function keyValueMessage(key: string, value: unknown): string {
  const delimiter = `ghadelimiter_${randomUUID()}`
  const text = toCommandValue(value)
  if (key.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`)
  if (text.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`)
  return `${key}<<${delimiter}${EOL}${text}${EOL}${delimiter}`
}

function toCommandValue(input: unknown): string {
  if (input === null || input === undefined) return ''
  if (typeof input === 'string' || input instanceof String) return String(input)
  return JSON.stringify(input)
}

function escapeData(value: unknown): string {
  return toCommandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(value: unknown): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
