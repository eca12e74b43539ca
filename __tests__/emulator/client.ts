// A tiny HTTP client for the emulator tests: one call, status + parsed body + headers.
import { DEFAULT_TOKEN } from '../../emulator/index.js'

export interface Answer {
  status: number
  body: unknown
  headers: Headers
}

export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = DEFAULT_TOKEN
): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (token !== null) headers.Authorization = `Bearer ${token}`
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text === '' ? null : JSON.parse(text)
  } catch {
    // plain-text answers stay text
  }
  return { status: res.status, body: parsed, headers: res.headers }
}

/** Path of a release detail URL with the version percent-encoded as one segment. */
export const releasePath = (version: string, org = 'acme'): string => `/api/0/organizations/${org}/releases/${encodeURIComponent(version)}/`
