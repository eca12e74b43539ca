// Sentry's offset pagination and its Link header (api/paginator.py, api/base.py build_cursor_link).
import { detail, type Reply } from './http.js'

const MAX_PER_PAGE = 100

function cursorLink(base: string, name: string, cursor: string, hasResults: boolean): string {
  return `<${base}&cursor=${cursor}>; rel="${name}"; results="${hasResults}"; cursor="${cursor}"`
}

/** One page of items as a 200 reply with the previous/next Link header. */
export function paginated<T>(items: T[], query: URLSearchParams, selfUrl: string, serialize: (item: T) => unknown): Reply {
  const perPage = query.has('per_page') ? Number(query.get('per_page')) : MAX_PER_PAGE
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) throw detail(400, 'Invalid per_page parameter.')
  const cursor = query.get('cursor')
  const parts = cursor ? cursor.split(':') : ['0', '0', '0']
  const page = Number(parts[1])
  if (parts.length !== 3 || !Number.isInteger(page) || page < 0) throw detail(400, 'Invalid cursor parameter.')
  const rest = new URLSearchParams(query)
  rest.delete('cursor')
  const base = `${selfUrl}?${rest.toString()}`
  const hasNext = items.length > (page + 1) * perPage
  const link = [
    cursorLink(base, 'previous', `${perPage}:${page - 1}:1`, page > 0),
    cursorLink(base, 'next', `${perPage}:${page + 1}:0`, hasNext)
  ].join(', ')
  return { status: 200, body: items.slice(page * perPage, (page + 1) * perPage).map(serialize), headers: { Link: link } }
}
