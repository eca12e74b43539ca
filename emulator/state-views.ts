// What the emulator's owner reads or changes in its state outside the API: releases, head commits, repositories.
import type { HeadCommit, SeedRepository } from './types.js'
import type { Release } from './model.js'
import type { State } from './state.js'
import { serializeDeploy, serializeRelease, serializeRepo } from './serialize.js'

function findRelease(state: State, org: string, version: string): Release | undefined {
  const o = state.org(org)
  return o ? state.release(o, version) : undefined
}

export function releaseView(state: State, org: string, version: string): Record<string, unknown> | undefined {
  const release = findRelease(state, org, version)
  return release ? serializeRelease(state, release) : undefined
}

export function deploysView(state: State, org: string, version: string): Array<Record<string, unknown>> {
  return findRelease(state, org, version)?.deploys.map(serializeDeploy) ?? []
}

/** The release's ReleaseHeadCommit rows, by repository row id. */
export function headCommitsView(state: State, org: string, version: string): HeadCommit[] {
  const release = findRelease(state, org, version)
  if (!release) return []
  const repos = state.orgById(release.orgId).repos
  return [...release.headCommits]
    .sort(([a], [b]) => a - b)
    .map(([repoId, commit]) => ({
      repository: repos.find(r => r.id === repoId)?.name ?? '',
      repositoryId: String(repoId),
      commit
    }))
}

export function repositoriesView(state: State, org: string): Array<Record<string, unknown>> {
  return state.org(org)?.repos.map(serializeRepo) ?? []
}

/** Adds a repository (see State.addRepository); an unknown org or a nameless repository is a one-line error. */
export function addRepositoryTo(state: State, org: string, repo: SeedRepository): Record<string, unknown> {
  const o = state.org(org)
  if (!o) throw new Error(`addRepository: unknown org ${org}`)
  if (typeof repo?.name !== 'string' || repo.name === '') throw new Error('addRepository: the repository needs a "name"')
  if (repo.provider !== undefined && repo.provider !== null && repo.provider !== 'github') {
    throw new Error(`addRepository: provider must be "github" or absent, not ${JSON.stringify(repo.provider)}`)
  }
  return serializeRepo(state.addRepository(o, repo))
}
