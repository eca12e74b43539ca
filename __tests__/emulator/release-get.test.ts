// Sentry's ReleaseDetailsTest (docs/sentry-api.md section 9, cases 1-19), re-expressed against the emulator.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import { call, releasePath } from './client.js'
import { datedReleases, OTHER_ORG_PROJECT_ID, seedWith } from './seeds.js'

let em: Emulator
beforeAll(async () => {
  em = await startEmulator()
})
afterAll(async () => {
  await em.stop()
})

const get = (version: string, query = '') => call(em.url, 'GET', `${releasePath(version)}${query}`)
const projectId = (slug: string) =>
  ((em.release('acme', 'b') ?? em.release('acme', 'a'))?.projects as Array<{ id: number; slug: string }>).find(p => p.slug === slug)?.id
const meta = async (version: string, query: string) =>
  ((await get(version, `?project=web&${query}`)).body as { currentProjectMeta: object }).currentProjectMeta

describe('ReleaseDetailsTest', () => {
  test('test_simple', async () => {
    em.reset(seedWith({ version: 'a', newGroups: 5 }, { version: 'unreleased', projects: [] }))
    const res = await get('a')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ version: 'a', newGroups: 5, currentProjectMeta: {}, projects: [{ slug: 'web', newGroups: 5 }] })
    // A release the caller cannot see (here: on no project at all) is a 404.
    expect((await get('unreleased')).status).toBe(404)
  })

  test('test_multiple_projects', async () => {
    em.reset(seedWith({ version: 'a', projects: ['web', 'api'] }))
    const res = await get('a')
    expect(res.status).toBe(200)
    expect((res.body as { projects: Array<{ slug: string }> }).projects.map(p => p.slug)).toEqual(['web', 'api'])
  })

  test('test_wrong_project', async () => {
    em.reset(seedWith({ version: 'a' }))
    expect((await get('a', `?project=${projectId('web')! + 1}`)).status).toBe(404)
    expect((await get('a', `?project=${projectId('web')}`)).status).toBe(200)
    expect((await get('a', '?project=web')).status).toBe(200)
  })

  test('test_project_from_another_org_is_rejected', async () => {
    em.reset(seedWith({ version: 'a' }))
    expect((await get('a', `?project=${OTHER_ORG_PROJECT_ID}`)).status).toBe(404)
  })

  test('test_project_user_has_no_access_to_is_rejected (a project not on the release)', async () => {
    em.reset(seedWith({ version: 'a' }))
    expect((await get('a', '?project=api')).status).toBe(404)
  })

  test('test_correct_project_contains_current_project_meta', async () => {
    em.reset(datedReleases('a', 'b', 'c'))
    expect(await meta('b', '')).toEqual({
      nextReleaseVersion: 'c',
      prevReleaseVersion: 'a',
      firstReleaseVersion: 'a',
      lastReleaseVersion: 'c',
      sessionsLowerBound: null,
      sessionsUpperBound: null
    })
  })

  test('test_incorrect_sort_option_should_return_invalid_sort_response', async () => {
    em.reset(seedWith({ version: 'a' }))
    expect(await get('a', '?project=web&sort=invalid_sort')).toMatchObject({ status: 400, body: { detail: 'invalid sort' } })
  })

  test('test_get_prev_and_next_release_to_current_release_on_date_sort', async () => {
    em.reset(datedReleases('a', 'b', 'c'))
    expect(await meta('a', 'sort=date')).toMatchObject({ prevReleaseVersion: null, nextReleaseVersion: 'b' })
    expect(await meta('b', 'sort=date')).toMatchObject({ prevReleaseVersion: 'a', nextReleaseVersion: 'c' })
    expect(await meta('c', 'sort=date')).toMatchObject({ prevReleaseVersion: 'b', nextReleaseVersion: null })
  })

  test('test_get_prev_and_next_release_to_current_release_on_date_sort_with_same_date', async () => {
    const same = '2024-01-01T00:00:00Z'
    em.reset(seedWith({ version: 'a', dateCreated: same }, { version: 'b', dateCreated: same }))
    expect(await meta('a', '')).toMatchObject({ prevReleaseVersion: null, nextReleaseVersion: 'b' })
    expect(await meta('b', '')).toMatchObject({ prevReleaseVersion: 'a', nextReleaseVersion: null })
  })

  test('test_get_prev_and_next_release_to_current_release_on_date_sort_env_filter_applied', async () => {
    const seed = datedReleases('a', 'b', 'c')
    seed.releases![2].deploys = [{ environment: 'prod' }]
    em.reset(seed)
    expect(await meta('b', 'environment=prod')).toMatchObject({ prevReleaseVersion: null, nextReleaseVersion: 'c' })
  })

  test('test_get_prev_and_next_release_to_current_release_on_date_sort_status_filter_applied', async () => {
    em.reset(datedReleases('a', 'b', 'c'))
    expect(await meta('b', 'status=archived')).toMatchObject({ prevReleaseVersion: null, nextReleaseVersion: null })
  })

  test('test_get_prev_and_next_release_to_current_release_on_date_sort_query_filter_applied', async () => {
    em.reset(datedReleases('foobar@1.0', 'b', 'foobar@2.0', 'foobar@1.1'))
    expect(await meta('foobar@2.0', 'query=foobar@1')).toMatchObject({ prevReleaseVersion: 'foobar@1.0', nextReleaseVersion: 'foobar@1.1' })
  })

  test('test_get_prev_and_next_release_on_date_sort_does_not_apply_stats_period_filter', async () => {
    em.reset(datedReleases('a', 'b', 'c'))
    expect(await meta('b', 'summaryStatsPeriod=24h')).toMatchObject({ prevReleaseVersion: 'a', nextReleaseVersion: 'c' })
  })

  test('test_get_first_and_last_release_on_date_sort', async () => {
    em.reset(datedReleases('a', 'b', 'c'))
    expect(await meta('b', '')).toMatchObject({ firstReleaseVersion: 'a', lastReleaseVersion: 'c' })
  })

  test('test_get_first_and_last_release_on_date_sort_with_exact_same_date', async () => {
    const same = '2024-01-01T00:00:00Z'
    em.reset(seedWith({ version: 'a', dateCreated: same }, { version: 'b', dateCreated: same }, { version: 'c', dateCreated: same }))
    expect(await meta('b', '')).toMatchObject({ firstReleaseVersion: 'a', lastReleaseVersion: 'c' })
  })

  test('test_get_first_and_last_release_on_date_sort_env_filter_applied', async () => {
    const seed = datedReleases('a', 'b', 'c', 'd')
    seed.releases![1].deploys = [{ environment: 'prod' }]
    seed.releases![2].deploys = [{ environment: 'prod' }]
    em.reset(seed)
    expect(await meta('c', 'environment=prod')).toMatchObject({ firstReleaseVersion: 'b', lastReleaseVersion: 'b' })
  })

  test('test_get_first_and_last_release_on_non_date_sort', async () => {
    em.reset(datedReleases('a', 'b'))
    expect(await get('a', '?project=web&sort=sessions')).toMatchObject({ status: 400, body: { detail: 'invalid sort' } })
  })

  test('test_get_first_and_last_release_when_project_has_no_releases', async () => {
    em.reset(seedWith({ version: 'a' }))
    expect(await meta('a', '')).toMatchObject({ firstReleaseVersion: null, lastReleaseVersion: null })
  })

  test('test_with_adoption_stages', async () => {
    em.reset(seedWith({ version: 'a' }))
    expect((await get('a')).body).not.toHaveProperty('adoptionStages')
    expect((await get('a', '?adoptionStages=1')).body).toHaveProperty('adoptionStages.web')
  })
})
