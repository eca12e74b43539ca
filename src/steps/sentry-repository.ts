import { errorMessage } from '../core/errors.js'
import { listAnswer } from '../core/sentry-answers.js'
import { info } from './log.js'
import { isRecord } from '../core/payload.js'
import type { SendRequest } from '../core/ports.js'
import { SentryError } from '../core/sentry-errors.js'
import { repositoriesPath } from '../core/url.js'

/**
 * What Sentry holds under the repository name, as its commit fetch sees it (docs/sentry-api.md sections 10 and 11):
 * - 'integration': the newest active repository of that name has a provider: refs work, Sentry fetches the commits.
 * - 'no-integration': it has none (commits sent by an earlier run created it): refs are accepted, but Sentry's fetch
 *   skips it and the release keeps 0 commits, so the commits must come from git, on every run.
 * - 'absent': no active repository of that name: refs are refused ("Invalid repository names").
 */
export type RepositoryKind = 'integration' | 'no-integration' | 'absent'

/**
 * Pure: Sentry's repository list -> the kind of the repository `fetch_commits` would use: the newest (highest id)
 * active one named exactly `name`. Sentry serializes a repository without provider as provider id 'unknown'.
 */
export function repositoryKind(repositories: unknown, name: string): RepositoryKind {
  const named = (Array.isArray(repositories) ? repositories : [])
    .filter(isRecord)
    .filter(repository => repository.name === name && (repository.status ?? 'active') === 'active')
    .sort((a, b) => Number(b.id) - Number(a.id))
  if (named.length === 0) return 'absent'
  const provider = isRecord(named[0].provider) ? named[0].provider.id : undefined
  return typeof provider === 'string' && provider !== '' && provider !== 'unknown' ? 'integration' : 'no-integration'
}

/**
 * Asks Sentry which kind of repository `name` is. undefined when Sentry would not say (403: a token without the scope
 * to list repositories, e.g. a personal token with project:releases only): the caller then sends refs and falls back
 * on "Invalid repository names". Any other failure fails here, as it would on the release.
 */
export async function lookUpRepository(
  { org, name, sentryUrl }: { org: string; name: string; sentryUrl: string },
  send: SendRequest
): Promise<RepositoryKind | undefined> {
  try {
    const list = listAnswer(await send({ method: 'GET', path: repositoriesPath(org, name) }), 'repositories', sentryUrl)
    return repositoryKind(list, name)
  } catch (error) {
    // Only a refusal of this list (403: a token without an org scope) leaves the release's requests worth trying; a wrong
    // token or org, a proxy, a server that is not Sentry, or one that is down would fail them the same way.
    if (!(error instanceof SentryError && error.status === 403)) throw error
    info(`Cannot list Sentry's repositories (${errorMessage(error)}): sending refs, with commits from git if Sentry refuses them.`)
    return undefined
  }
}
