// The emulator's database: orgs, projects, repositories, tokens and releases, loaded from a seed.
import type { Seed, SeedRelease, SeedRepository, SeedToken } from './types.js'
import type { Deploy, Org, Project, Release, Repo } from './model.js'
import { isOrgToken, orgOfToken } from './tokens.js'
import { replaceCommits } from './commits.js'
import { addIntegrationRepo, refsRepo, repoForCommits, seedRow } from './repositories.js'
import { ArtifactStore } from './artifact-store.js'

export interface Token {
  token: string
  scopes: string[]
  org?: string
  kind: 'user' | 'org'
  /** User tokens: the slugs of the projects the user's teams give access to; undefined: every project. */
  projects?: string[]
}

export class State {
  orgs: Org[] = []
  tokens = new Map<string, Token>()
  releases: Release[] = []
  /** Chunks, assemble statuses and artifact bundles. */
  readonly artifacts = new ArtifactStore()
  private nextId = 1

  constructor(seed: Seed) {
    for (const o of seed.orgs) this.addOrg(o)
    for (const t of seed.tokens) this.addToken(t)
    for (const r of seed.releases ?? []) this.addSeedRelease(r)
  }

  newId(): number {
    return this.nextId++
  }

  org(idOrSlug: string): Org | undefined {
    return this.orgs.find(o => o.slug === idOrSlug || String(o.id) === idOrSlug)
  }

  orgById(id: number): Org {
    const org = this.orgs.find(o => o.id === id)
    if (!org) throw new Error(`no org ${id}`)
    return org
  }

  release(org: Org, version: string): Release | undefined {
    return this.releases.find(r => r.orgId === org.id && r.version === version)
  }

  /** A project of the org named by slug, numeric id or id string (Sentry's project lookup on create). */
  project(org: Org, idOrSlug: unknown): Project | undefined {
    return org.projects.find(p => p.slug === idOrSlug || (/^\d+$/.test(String(idOrSlug)) && p.id === Number(idOrSlug)))
  }

  /** The repository `commits` use, created without provider when the org has no active one of that name. */
  repoForCommits(org: Org, name: string): Repo {
    return repoForCommits(org, name, (o, row) => this.insertRepo(o, row))
  }

  /** A repository added by hand (no provider) or by the GitHub integration, as Sentry adds it between runs. */
  addRepository(org: Org, seed: SeedRepository): Repo {
    if (seed.provider === 'github') return addIntegrationRepo(org, seed, (o, row) => this.insertRepo(o, row))
    return this.insertRepo(org, { ...seedRow(seed), externalId: seed.externalId ?? null })
  }

  createRelease(org: Org, version: string, fields: Partial<Release> = {}): Release {
    const release: Release = {
      id: this.newId(),
      orgId: org.id,
      version,
      projectIds: [],
      ref: null,
      url: null,
      status: 'open',
      dateReleased: null,
      dateCreated: new Date().toISOString(),
      userAgent: null,
      owner: null,
      newGroups: 0,
      commits: [],
      headCommits: new Map(),
      deploys: [],
      lastDeployId: null,
      currentDeploys: new Map(),
      ...fields
    }
    this.releases.push(release)
    return release
  }

  /** Records a deploy and makes it current for the projects' environment, as Sentry's deploy POST does. */
  addDeploy(release: Release, deploy: Omit<Deploy, 'id'>, projectIds: number[]): Deploy {
    const row = { id: this.newId(), ...deploy }
    release.deploys.push(row)
    release.lastDeployId = row.id
    for (const id of projectIds) release.currentDeploys.set(`${id}/${row.environment}`, row.id)
    return row
  }

  private insertRepo(org: Org, row: Omit<Repo, 'id' | 'dateCreated'>): Repo {
    const repo: Repo = { id: this.newId(), ...row, dateCreated: new Date().toISOString() }
    org.repos.push(repo)
    return repo
  }

  private addOrg(seed: Seed['orgs'][number]): void {
    const org: Org = { id: seed.id ?? this.newId(), slug: seed.slug, name: seed.slug, projects: [], repos: [] }
    this.orgs.push(org)
    for (const p of seed.projects) {
      org.projects.push({
        id: p.id ?? this.newId(),
        slug: p.slug,
        name: p.slug,
        platform: p.platform ?? null,
        dateCreated: new Date().toISOString()
      })
    }
    for (const r of seed.repositories) {
      const { externalId, ...row } = seedRow(r)
      const repo = this.insertRepo(org, { ...row, externalId: externalId ?? null })
      if (repo.provider === 'github') repo.externalId ??= String(repo.id)
    }
  }

  private addToken(seed: SeedToken): void {
    const kind = isOrgToken(seed.token) ? 'org' : 'user'
    const org = seed.org ?? (kind === 'org' ? orgOfToken(seed.token) : undefined)
    this.tokens.set(seed.token, { token: seed.token, scopes: seed.scopes ?? ['org:ci'], org, kind, projects: seed.projects })
  }

  private addSeedRelease(seed: SeedRelease): void {
    const org = this.org(seed.org)
    if (!org) throw new Error(`seed release ${seed.version}: unknown org ${seed.org}`)
    const release = this.createRelease(org, seed.version, {
      ref: seed.ref ?? null,
      url: seed.url ?? null,
      dateReleased: seed.dateReleased ?? null,
      dateCreated: seed.dateCreated ?? new Date().toISOString(),
      newGroups: seed.newGroups ?? 0,
      projectIds: seed.projects.map(slug => {
        const project = this.project(org, slug)
        if (!project) throw new Error(`seed release ${seed.version}: unknown project ${slug}`)
        return project.id
      })
    })
    for (const head of seed.headCommits ?? []) {
      const repo = refsRepo(org, head.repository) ?? this.repoForCommits(org, head.repository)
      release.headCommits.set(repo.id, head.commit)
    }
    if (seed.commits) replaceCommits(this, release, seed.commits)
    for (const d of seed.deploys ?? []) {
      this.addDeploy(
        release,
        {
          environment: d.environment,
          name: d.name ?? null,
          url: d.url ?? null,
          dateStarted: d.dateStarted ?? null,
          dateFinished: d.dateFinished ?? new Date().toISOString()
        },
        release.projectIds
      )
    }
  }
}
