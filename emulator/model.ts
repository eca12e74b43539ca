// The in-memory rows the emulator keeps: what Sentry's database holds for these endpoints.

export interface Project {
  id: number
  slug: string
  name: string
  platform: string | null
  dateCreated: string
}
export type RepoStatus = 'active' | 'disabled' | 'hidden'
/**
 * A Repository row (models/repository.py). Names may repeat: the only unique key is (org, provider, externalId), so a
 * repository made by `commits` (no provider) and one the GitHub integration added later can share a name.
 */
export interface Repo {
  id: number
  name: string
  url: string | null
  provider: 'github' | null
  status: RepoStatus
  dateCreated: string
  /** The GitHub integration that manages the repository; null for one made by `commits` or by hand. */
  integrationId: number | null
  /** GitHub's id of the repository; null when Sentry never asked GitHub. */
  externalId: string | null
}
export interface Org {
  id: number
  slug: string
  name: string
  projects: Project[]
  repos: Repo[]
}
export interface Author {
  name: string | null
  email: string
}
export interface Commit {
  key: string
  repoId: number
  message: string | null
  author: Author | null
  dateCreated: string
}
export interface Deploy {
  id: number
  environment: string
  name: string | null
  url: string | null
  dateStarted: string | null
  dateFinished: string
}
export interface Release {
  id: number
  orgId: number
  version: string
  projectIds: number[]
  ref: string | null
  url: string | null
  status: 'open' | 'archived'
  dateReleased: string | null
  dateCreated: string
  userAgent: string | null
  owner: null
  /** Issues first seen in this release (ReleaseProject.new_groups), all on its first project. */
  newGroups: number
  /** Newest first, as set_commits leaves them. */
  commits: Commit[]
  /** repository id -> head commit sha (ReleaseHeadCommit, one per release and repository). */
  headCommits: Map<number, string>
  deploys: Deploy[]
  lastDeployId: number | null
  /** "projectId/environment" -> deploy id (ReleaseProjectEnvironment.last_deploy_id). */
  currentDeploys: Map<string, number>
}

/** Sentry's "release date": COALESCE(date_released, date_added). */
export function releaseDate(release: Release): string {
  return release.dateReleased ?? release.dateCreated
}

/** Django's URLField default max_length: Release.url, Deploy.url and Repository.url are varchar(200). */
export const URL_COLUMN_MAX = 200
