// How Sentry finds, creates and adopts Repository rows by name (see emulator/README.md, "Repositories").
import type { Org, Repo } from './model.js'
import type { SeedRepository } from './types.js'

/** The one GitHub integration an emulated org has installed. */
export const GITHUB_INTEGRATION_ID = 1

type NewRow = (org: Org, row: Omit<Repo, 'id' | 'dateCreated'>) => Repo

const newestFirst = (a: Repo, b: Repo): number => b.id - a.id

/**
 * The repository `commits` and fetch_commits use: the newest ACTIVE row of that name
 * (models/releases/set_commits.py create_repositories, tasks/commits.py fetch_commits: status ACTIVE, order_by("-pk")).
 */
export function activeRepo(org: Org, name: string): Repo | undefined {
  return org.repos.filter(r => r.name === name && r.status === 'active').sort(newestFirst)[0]
}

/**
 * The repository set_refs records a head commit on: any row of that name whatever its status, the last one the
 * query yields (models/release.py set_refs builds {name: repo} from an unordered filter; rows come in insertion order).
 */
export function refsRepo(org: Org, name: string): Repo | undefined {
  return org.repos.filter(r => r.name === name).sort(newestFirst)[0]
}

/** create_repositories: the newest active row of that name, else a new row without provider, integration or external id. */
export function repoForCommits(org: Org, name: string, add: NewRow): Repo {
  return activeRepo(org, name) ?? add(org, { name, url: null, provider: null, status: 'active', integrationId: null, externalId: null })
}

/** A row as a seed or a hand-made addition describes it; a GitHub one belongs to the integration. */
export function seedRow(seed: SeedRepository): Omit<Repo, 'id' | 'dateCreated' | 'externalId'> & { externalId?: string } {
  const github = seed.provider === 'github'
  return {
    name: seed.name,
    url: seed.url ?? null,
    provider: github ? 'github' : null,
    status: seed.status ?? 'active',
    integrationId: github ? GITHUB_INTEGRATION_ID : null,
    externalId: seed.externalId
  }
}

/**
 * The GitHub integration adds a repository (plugins/providers/integration_repository.py
 * IntegrationRepositoryProvider.create_repository, _adoptable_repositories): a hidden row of this integration and
 * external id is re-activated; else a row without integration but with this external id is adopted; else a new row
 * is created. A row made by `commits` has no external id, so it
 * is never adopted: it stays, active and without provider, beside the newer GitHub row of the same name.
 */
export function addIntegrationRepo(org: Org, seed: SeedRepository, add: NewRow): Repo {
  const externalId = seed.externalId ?? null
  const url = seed.url ?? `https://github.com/${seed.name}`
  const own =
    externalId === null
      ? undefined
      : org.repos.find(r => r.integrationId === GITHUB_INTEGRATION_ID && r.externalId === externalId && r.status === 'hidden')
  const adoptable =
    externalId === null
      ? undefined
      : org.repos.find(r => r.integrationId === null && r.externalId === externalId && (r.provider === null || r.provider === 'github'))
  const existing = own ?? adoptable
  if (existing) {
    Object.assign(existing, { name: seed.name, url, provider: 'github', integrationId: GITHUB_INTEGRATION_ID, status: 'active' })
    return existing
  }
  const row = add(org, { name: seed.name, url, provider: 'github', status: 'active', integrationId: GITHUB_INTEGRATION_ID, externalId })
  // GitHub's id for the repository; the emulator's row id stands in for it.
  row.externalId ??= String(row.id)
  return row
}
