// Sentry's API authentication and scope checks (api/authentication.py, api/permissions.py, api/bases/organization.py).
import type { Org } from './model.js'
import type { State, Token } from './state.js'
import { ApiError, detail, forbidden } from './http.js'
import { isOrgToken } from './tokens.js'

const unauthorized = (message: string): ApiError => detail(401, message, { 'WWW-Authenticate': 'xBasic realm="api"' })

/** The token of an `Authorization: Bearer` header; null when the request carries no bearer credentials. */
export function authenticate(state: State, header: string | undefined): Token | null {
  const parts = (header ?? '').trim().split(/\s+/).filter(Boolean)
  if (parts.length === 0 || parts[0].toLowerCase() !== 'bearer') return null
  if (parts.length === 1) throw unauthorized('Invalid token header. No credentials provided.')
  if (parts.length > 2) throw unauthorized('Invalid token header. Token string should not contain spaces.')
  const token = state.tokens.get(parts[1])
  if (!token) throw unauthorized(isOrgToken(parts[1]) ? 'Invalid org token' : 'Invalid token')
  return token
}

/** ScopedPermission.has_permission: runs before the org lookup. */
export function checkScope(token: Token | null, allowed: string[] | undefined): asserts token is Token {
  if (!token) throw unauthorized('Authentication credentials were not provided.')
  if (!allowed || !token.scopes.some(s => allowed.includes(s))) throw forbidden()
}

/** has_object_permission on the org: a token bound to another org gets no access. */
export function checkOrgAccess(token: Token, org: Org): void {
  if (token.org !== undefined && token.org !== org.slug) throw forbidden()
}

/** OrganizationReleasePermission (api/bases/organization.py). */
export const RELEASE_SCOPES: Record<string, string[]> = {
  GET: ['project:read', 'project:write', 'project:admin', 'project:releases', 'org:ci'],
  POST: ['project:write', 'project:admin', 'project:releases', 'org:ci'],
  PUT: ['project:write', 'project:admin', 'project:releases', 'org:ci'],
  DELETE: ['project:admin', 'project:releases']
}

/** OrganizationIntegrationsLoosePermission (repos): a token with only project:* scopes may not list repositories. */
export const INTEGRATION_LOOSE_SCOPES: Record<string, string[]> = {
  GET: ['org:read', 'org:write', 'org:admin', 'org:integrations', 'org:ci'],
  POST: ['org:read', 'org:write', 'org:admin', 'org:integrations'],
  PUT: ['org:read', 'org:write', 'org:admin', 'org:integrations'],
  DELETE: ['org:admin', 'org:integrations']
}
