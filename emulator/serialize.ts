// Response shapes of Sentry's serializers (docs/sentry-api.md section 3; serializers/models/{release,commit,repository,deploy}.py).
import type { Commit, Deploy, Org, Release, Repo } from './model.js'
import type { State } from './state.js'
import { authorsOf } from './commits.js'
import { versionInfo } from './version.js'

/**
 * RepositorySerializer (api/serializers/models/repository.py): a repository without provider is the "Unknown Provider"
 * with integrationId and externalSlug null; a GitHub one names the integration, its slug is the repository name.
 */
export function serializeRepo(repo: Repo): Record<string, unknown> {
  const github = repo.provider === 'github'
  return {
    id: String(repo.id),
    name: repo.name,
    url: repo.url,
    provider: github ? { id: 'integrations:github', name: 'GitHub' } : { id: 'unknown', name: 'Unknown Provider' },
    status: repo.status,
    dateCreated: repo.dateCreated,
    integrationId: repo.integrationId === null ? null : String(repo.integrationId),
    externalSlug: github ? repo.name : null,
    externalId: repo.externalId
  }
}

function serializeCommit(org: Org, commit: Commit): Record<string, unknown> {
  const repo = org.repos.find(r => r.id === commit.repoId)
  return {
    id: commit.key,
    message: commit.message,
    dateCreated: commit.dateCreated,
    pullRequest: null,
    suspectCommitType: '',
    repository: repo ? serializeRepo(repo) : null,
    author: commit.author
  }
}

export function serializeDeploy(deploy: Deploy): Record<string, unknown> {
  return {
    id: String(deploy.id),
    environment: deploy.environment,
    dateStarted: deploy.dateStarted,
    dateFinished: deploy.dateFinished,
    name: deploy.name,
    url: deploy.url
  }
}

export interface SerializeOptions {
  currentProjectMeta?: Record<string, unknown>
  adoptionStages?: boolean
}

export function serializeRelease(state: State, release: Release, o: SerializeOptions = {}): Record<string, unknown> {
  const org = state.orgById(release.orgId)
  const projects = org.projects.filter(p => release.projectIds.includes(p.id))
  const lastDeploy = release.deploys.find(d => d.id === release.lastDeployId)
  const body: Record<string, unknown> = {
    id: release.id,
    version: release.version,
    status: release.status,
    shortVersion: release.version,
    versionInfo: versionInfo(release.version),
    ref: release.ref,
    url: release.url,
    dateReleased: release.dateReleased,
    dateCreated: release.dateCreated,
    data: {},
    newGroups: release.newGroups,
    owner: release.owner,
    commitCount: release.commits.length,
    lastCommit: release.commits[0] ? serializeCommit(org, release.commits[0]) : null,
    deployCount: release.deploys.length,
    lastDeploy: lastDeploy ? serializeDeploy(lastDeploy) : null,
    authors: authorsOf(release),
    projects: projects.map((p, i) => ({
      id: p.id,
      slug: p.slug,
      name: p.name,
      newGroups: i === 0 ? release.newGroups : 0,
      platform: p.platform,
      platforms: p.platform ? [p.platform] : [],
      hasHealthData: false
    })),
    firstEvent: null,
    lastEvent: null,
    currentProjectMeta: o.currentProjectMeta ?? {},
    userAgent: release.userAgent
  }
  if (o.adoptionStages) {
    body.adoptionStages = Object.fromEntries(projects.map(p => [p.slug, { stage: 'low_adoption', adopted: null, unadopted: null }]))
  }
  return body
}
