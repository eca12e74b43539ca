// HTTP plumbing: Sentry-style error answers, JSON responses and request bodies.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isMultipart, parseMultipart } from './multipart.js'

/** A response: a JSON body, a plain-text body, or none. */
export interface Reply {
  status: number
  body?: unknown
  text?: string
  headers?: Record<string, string>
}

/** An error answer; route code throws it and the server sends it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {}
  ) {
    super(`HTTP ${status}`)
  }
}

export const detail = (status: number, message: unknown, headers?: Record<string, string>): ApiError =>
  new ApiError(status, { detail: message }, headers)
export const notFound = (): ApiError => detail(404, 'The requested resource does not exist')
export const forbidden = (): ApiError => detail(403, 'You do not have permission to perform this action.')

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers }
  let payload = ''
  if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body)
    headers['Content-Type'] ??= 'application/json'
  } else if (reply.text !== undefined) {
    payload = reply.text
    headers['Content-Type'] ??= 'text/plain'
  }
  res.writeHead(reply.status, { ...headers, 'Content-Length': String(Buffer.byteLength(payload)) })
  res.end(payload)
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** The body as DRF's JSONParser reads it; an empty body is an empty form (no fields). */
export function parseJson(raw: string): unknown {
  if (raw.trim() === '') return {}
  try {
    return JSON.parse(raw)
  } catch (e) {
    throw detail(400, `JSON parse error - ${(e as Error).message}`)
  }
}

/** Parsed for the request log: the parts of a multipart form, JSON when it is JSON, the text otherwise, null when empty. */
export function bodyForLog(body: Buffer, contentType: string | undefined): unknown {
  if (isMultipart(contentType)) {
    try {
      return { multipart: parseMultipart(contentType ?? '', body).map(p => ({ name: p.name, filename: p.filename, size: p.data.length })) }
    } catch {
      return { multipart: null, size: body.length }
    }
  }
  const raw = body.toString('utf8')
  if (raw === '') return null
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}
