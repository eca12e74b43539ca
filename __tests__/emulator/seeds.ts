// Seeds for the emulator tests: the default org plus the releases a test needs.
import { expect } from '@jest/globals'
import { defaultSeed, type Seed, type SeedRelease } from '../../emulator/index.js'

export const OTHER_ORG_PROJECT_ID = 900

/** defaultSeed() plus a second org 'globex' (project 'gadget', id 900) and the given releases of 'acme'. */
export function seedWith(...releases: Array<Partial<SeedRelease> & { version: string }>): Seed {
  const seed = defaultSeed()
  seed.orgs.push({ slug: 'globex', projects: [{ slug: 'gadget', id: OTHER_ORG_PROJECT_ID }], repositories: [] })
  seed.releases = releases.map(r => ({ org: 'acme', projects: ['web'], ...r }))
  return seed
}

/** Releases of project web created one day apart, oldest first. */
export function datedReleases(...versions: string[]): Seed {
  return seedWith(...versions.map((version, i) => ({ version, dateCreated: `2024-01-${String(i + 1).padStart(2, '0')}T00:00:00Z` })))
}

/**
 * A repository that set_commits made from a `commits` list, as Sentry serializes it (RepositorySerializer): no
 * provider ('unknown'), no URL, no integration.
 */
export function providerlessRepository(name: string): Record<string, unknown> {
  return {
    id: expect.stringMatching(/^\d+$/),
    name,
    url: null,
    provider: { id: 'unknown', name: 'Unknown Provider' },
    status: 'active',
    dateCreated: expect.any(String),
    integrationId: null,
    externalSlug: null,
    externalId: null
  }
}
