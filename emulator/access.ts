// Which projects a token reaches on the release endpoints (api/bases/organization.py OrganizationReleasesBaseEndpoint,
// auth/access.py). Org tokens reach every project; a user token reaches its user's teams' projects.
import type { Org, Project, Release } from './model.js'
import type { Token } from './state.js'

/** access.has_project_access: an org token's global access, or the user's team membership (default: every project). */
export function hasProjectAccess(token: Token, project: Project): boolean {
  return token.kind === 'org' || token.projects === undefined || token.projects.includes(project.slug)
}

/**
 * OrganizationReleasesBaseEndpoint.get_projects: an org token with org:ci, or a user token with project:releases,
 * gets every project (force_global_perms); any other token only the projects it has access to.
 */
export function releaseProjects(token: Token, org: Org): Project[] {
  const global = token.kind === 'org' ? token.scopes.includes('org:ci') : token.scopes.includes('project:releases')
  return global ? org.projects : org.projects.filter(p => hasProjectAccess(token, p))
}

/**
 * has_release_permission: one of the release's projects among get_projects; with require_all_projects (PUT, DELETE,
 * deploy POST) the token must also have access to every project of the release (has_projects_access), so a user
 * token with project:releases whose user is on no team of one of them gets a 404.
 */
export function hasReleasePermission(token: Token, org: Org, release: Release, requireAll: boolean): boolean {
  const reachable = releaseProjects(token, org).map(p => p.id)
  if (!release.projectIds.some(id => reachable.includes(id))) return false
  return !requireAll || org.projects.filter(p => release.projectIds.includes(p.id)).every(p => hasProjectAccess(token, p))
}

/**
 * The deploy serializer's ProjectField(scope=("project:read", "project:releases")): access to the project and one of
 * those scopes. The emulator counts org:ci as enough, as its default user token carries only that scope.
 */
export function hasDeployProjectScope(token: Token, project: Project): boolean {
  const scoped = token.kind === 'org' || ['project:read', 'project:releases', 'org:ci'].some(s => token.scopes.includes(s))
  return scoped && hasProjectAccess(token, project)
}
