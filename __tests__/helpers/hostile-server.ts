import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * How a hostile server answers one request: it writes what it wants, when it wants, or never. `request.url` is the path
 * with its query; the body has been read.
 */
export type HostileHandler = (request: http.IncomingMessage, response: http.ServerResponse, body: string, server: ServerState) => void

/** What a handler may keep on its server: timers cleared at stop, and a count of body bytes written. */
export interface ServerState {
  timers: Set<NodeJS.Timeout>
  written: { bytes: number }
}

/** An HTTP server on 127.0.0.1 that answers as its handler says, and says what it was asked. */
export interface HostileServer {
  url: string
  /** `METHOD path` of each request, in order. */
  requests: string[]
  /** Bytes written to response bodies by the helpers below (endless, slow). */
  written: { bytes: number }
  stop(): Promise<void>
}

export async function startHostileServer(handler: HostileHandler): Promise<HostileServer> {
  const requests: string[] = []
  const timers = new Set<NodeJS.Timeout>()
  const written = { bytes: 0 }
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`)
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => handler(request, response, Buffer.concat(chunks).toString('utf8'), { timers, written }))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    written,
    async stop() {
      timers.forEach(timer => clearInterval(timer))
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  }
}

/** Answers with this status, headers and body (a string or bytes as they are, else JSON of any value). */
export function answer(status: number, body: unknown, headers: Record<string, string> = {}): HostileHandler {
  const raw = typeof body === 'string' || Buffer.isBuffer(body)
  const text = raw ? body : JSON.stringify(body)
  const type = raw ? 'text/html' : 'application/json'
  return (_, response) => response.writeHead(status, { 'Content-Type': type, ...headers }).end(text)
}

/** Accepts the request and never answers. */
export const silent: HostileHandler = () => {}

/** Sends the headers, then `chunk` as fast as the client reads it, for ever (chunked transfer encoding). */
export function endless(status = 200, chunk = Buffer.alloc(64 * 1024, ' ')): HostileHandler {
  return (_, response, __, { written }) => {
    response.writeHead(status, { 'Content-Type': 'application/json' })
    const more = (): void => {
      while (!response.destroyed && response.write(chunk)) written.bytes += chunk.length
    }
    response.on('drain', more)
    more()
  }
}

const JSON_TYPE = { 'Content-Type': 'application/json' }

/** Sends the headers, then `text` one byte every `everyMs` (a server a byte a second), and never ends. */
export function trickle(text: string, everyMs = 1000, headers: Record<string, string> = JSON_TYPE): HostileHandler {
  return (_, response, __, { timers, written }) => {
    response.writeHead(200, headers)
    let index = 0
    const timer = setInterval(() => {
      if (response.destroyed) return clearInterval(timer)
      response.write(text[index++ % text.length])
      written.bytes++
    }, everyMs)
    timers.add(timer)
    response.on('close', () => clearInterval(timer))
  }
}

/**
 * A git remote over http answering a byte a second: the start of a smart-http advertisement, never enough for git,
 * never slow enough for curl's low-speed limit.
 */
export function byteASecondGitRemote(): HostileHandler {
  const advertisement = '001e# service=git-upload-pack\n0000'
  return trickle(advertisement, 1000, { 'Content-Type': 'application/x-git-upload-pack-advertisement' })
}

/** Answers each request with the next handler; the last one answers every request after. */
export function inTurn(...handlers: HostileHandler[]): HostileHandler {
  let next = 0
  return (request, response, body, server) => handlers[Math.min(next++, handlers.length - 1)](request, response, body, server)
}
