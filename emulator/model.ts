// The in-memory rows the emulator keeps: what Sentry's database holds for these endpoints.

export interface Project { id: number; slug: string; name: string; platform: string | null; dateCreated: string }
export interface Repo {
  id: number; name: string; url: string | null; provider: 'github' | null; status: 'active' | 'disabled'; dateCreated: string
}
export interface Org { id: number; slug: string; name: string; projects: Project[]; repos: Repo[] }
export interface Author { name: string | null; email: string }
export interface Commit {
  key: string; repoId: number; message: string | null; author: Author | null; dateCreated: string
}
export interface Deploy {
  id: number; environment: string; name: string | null; url: string | null; dateStarted: string | null; dateFinished: string
}
export interface Release {
  id: number; orgId: number; version: string; projectIds: number[]
  ref: string | null; url: string | null; status: 'open' | 'archived'
  dateReleased: string | null; dateCreated: string; userAgent: string | null; owner: null
  /** Issues first seen in this release (ReleaseProject.new_groups), all on its first project. */
  newGroups: number
  /** Newest first, as set_commits leaves them. */
  commits: Commit[]
  /** repository id -> head commit sha (ReleaseHeadCommit). */
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
