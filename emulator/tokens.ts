// Token formats as Sentry issues them.
import { createHash } from 'node:crypto'

/** A fixed user auth token (Sentry's sntryu_ prefix + 64 hex characters). */
export const DEFAULT_TOKEN = 'sntryu_' + createHash('sha256').update('sentry-emulator-user').digest('hex')

const ORG_TOKEN_PREFIX = 'sntrys_'

/** An org auth token: sntrys_ + base64(JSON {iat,url,region_url,org}) + _ + secret, like Sentry's generate_token. */
export function makeOrgToken(p: { org: string; url: string; secret?: string; iat?: number }): string {
  // Python's json.dumps separators, so the payload reads like a real token's.
  const payload =
    `{"iat": ${p.iat ?? 1700000000}, "url": ${JSON.stringify(p.url)}, ` +
    `"region_url": ${JSON.stringify(p.url)}, "org": ${JSON.stringify(p.org)}}`
  const secret = p.secret ?? createHash('sha256').update(`${p.org}\n${p.url}`).digest('base64').replace(/=+$/, '')
  return ORG_TOKEN_PREFIX + Buffer.from(payload).toString('base64') + '_' + secret
}

export function isOrgToken(token: string): boolean {
  return token.startsWith(ORG_TOKEN_PREFIX)
}

/** The org slug inside an org token's payload, or undefined when it cannot be read. */
export function orgOfToken(token: string): string | undefined {
  const encoded = token.slice(ORG_TOKEN_PREFIX.length, token.lastIndexOf('_'))
  try {
    const payload: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'))
    const org = (payload as { org?: unknown }).org
    return typeof org === 'string' ? org : undefined
  } catch {
    return undefined
  }
}
