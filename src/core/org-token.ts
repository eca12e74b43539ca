const ORG_TOKEN_PREFIX = 'sntrys_'

/** What a Sentry org auth token says about itself (its payload is not secret; the part after it is). */
export interface OrgTokenClaims {
  org?: string
  url?: string
}

/**
 * Reads `sntrys_<base64 JSON {iat, url, region_url, org}>_<secret>`.
 * Returns {} for user tokens and for anything that does not parse: the server is the judge of validity.
 */
export function readOrgToken(token: string): OrgTokenClaims {
  const parts = orgTokenParts(token)
  if (!parts) return {}
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts.payload, 'base64').toString('utf8'))
    if (typeof claims !== 'object' || claims === null) return {}
    const { org, url } = claims as Record<string, unknown>
    return { org: nonEmptyString(org), url: nonEmptyString(url) }
  } catch {
    return {}
  }
}

/** The secret part of an org token (after the payload), masked on its own; undefined for other tokens. */
export function orgTokenSecret(token: string): string | undefined {
  return nonEmptyString(orgTokenParts(token)?.secret)
}

/** An org token's payload and secret; undefined for other tokens. */
function orgTokenParts(token: string): { payload: string; secret?: string } | undefined {
  if (!token.startsWith(ORG_TOKEN_PREFIX)) return undefined
  const rest = token.slice(ORG_TOKEN_PREFIX.length)
  // Standard base64 has no '_', while the secret (token_urlsafe) may: split at the first '_'.
  const separator = rest.indexOf('_')
  return separator < 0 ? { payload: rest } : { payload: rest.slice(0, separator), secret: rest.slice(separator + 1) }
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
