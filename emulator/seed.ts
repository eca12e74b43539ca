// The default state: one org with two projects, one GitHub repository and a user and an org token.
import type { Seed } from './types.js'
import { DEFAULT_TOKEN, makeOrgToken } from './tokens.js'

const DEFAULT_URL = 'http://127.0.0.1:8000'

/** The org token of defaultSeed(); its payload url is where `npm run emulator` listens by default. */
export const DEFAULT_ORG_TOKEN = makeOrgToken({ org: 'acme', url: DEFAULT_URL })

/** Org 'acme' (projects web, api; repo acme/web on GitHub), DEFAULT_TOKEN and an org token naming `url`. */
export function defaultSeed(url = DEFAULT_URL): Seed {
  return {
    orgs: [
      {
        slug: 'acme',
        projects: [
          { slug: 'web', platform: 'javascript' },
          { slug: 'api', platform: 'node' }
        ],
        repositories: [{ name: 'acme/web', provider: 'github', url: 'https://github.com/acme/web' }]
      }
    ],
    tokens: [
      { token: DEFAULT_TOKEN, scopes: ['org:ci'] },
      { token: makeOrgToken({ org: 'acme', url }), scopes: ['org:ci'], org: 'acme' }
    ],
    releases: []
  }
}
