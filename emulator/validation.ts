// The request bodies of the release endpoints, declared like Sentry's serializers (docs/sentry-api.md sections 1, 2, 5, 7).
import {
  charCount,
  charField,
  dateTimeField,
  Invalid,
  listField,
  nullable,
  objectField,
  optional,
  required,
  urlField,
  type Parse,
  type Spec
} from './fields.js'
import { isValidVersion, MAX_VERSION_LENGTH } from './version.js'
import { URL_COLUMN_MAX, type Project } from './model.js'

const MAX_COMMIT_LENGTH = 64

/** Thrown where Sentry itself crashes with a 500 (e.g. "a..b..c": a two-way unpack of three parts). */
export class ServerCrash extends Error {}

/**
 * Release.url and Deploy.url are Django URLFields, varchar(200) counted in characters; the serializers accept up to
 * 2048 (URLValidator), so a longer URL fails at the database: a DataError, Sentry's generic 500.
 */
export function checkUrlColumn(url: string): void {
  if (charCount(url) > URL_COLUMN_MAX) throw new ServerCrash('value too long for type character varying(200)')
}

const check =
  <T>(parse: Parse<T>, ok: (value: T) => string | undefined): Parse<T> =>
  value => {
    const parsed = parse(value)
    const message = ok(parsed)
    if (message !== undefined) throw new Invalid([message])
    return parsed
  }

const PATCH_TYPES = ['A', 'D', 'M']

const commit = objectField({
  id: required(charField({ max: MAX_COMMIT_LENGTH })),
  repository: nullable(charField({ max: 64, allowBlank: true })),
  message: nullable(charField({ allowBlank: true })),
  author_name: nullable(charField({ max: 128, allowBlank: true })),
  author_email: nullable(charField({ max: 200, allowBlank: true })),
  timestamp: nullable(dateTimeField()),
  patch_set: optional(
    listField(
      objectField({
        path: required(charField({ max: 510 })),
        type: required(
          check(charField({ max: 1 }), t => (PATCH_TYPES.includes(t) ? undefined : `Commit patch_set type ${t} is not supported.`))
        )
      })
    )
  )
})

function commitRangeError(value: string): string | undefined {
  if (!value.includes('..')) return charCount(value) > MAX_COMMIT_LENGTH ? 'Commit too long - max is 64 chars' : undefined
  const sides = value.split('..')
  if (sides.length > 2) throw new ServerCrash('too many values to unpack (expected 2)')
  const [start, end] = sides
  if (!start || !end) return 'Commit cannot begin or end with ..'
  if (charCount(start) > MAX_COMMIT_LENGTH || charCount(end) > MAX_COMMIT_LENGTH) {
    return 'Start or end commit too long - max is 64 chars each'
  }
  return undefined
}

const ref = objectField({
  repository: required(charField({ max: 200 })),
  commit: required(check(charField(), commitRangeError)),
  previousCommit: nullable(charField({ max: MAX_COMMIT_LENGTH, allowBlank: true }))
})

const headCommit = objectField({
  currentId: required(charField({ max: MAX_COMMIT_LENGTH })),
  repository: required(charField({ max: 64 })),
  previousId: nullable(charField({ max: MAX_COMMIT_LENGTH }))
})

const releaseFields: Spec = {
  ref: nullable(charField({ max: MAX_VERSION_LENGTH, allowBlank: true })),
  url: nullable(urlField()),
  dateReleased: nullable(dateTimeField()),
  commits: optional(listField(commit)),
  status: optional(check(charField(), s => (['open', 'archived'].includes(s) ? undefined : `Invalid status ${s}`))),
  headCommits: optional(listField(headCommit)),
  refs: optional(listField(ref))
}

/** OrganizationReleaseSerializer: the PUT body. */
export const releaseBody = objectField(releaseFields)

const version = check(charField({ max: MAX_VERSION_LENGTH, trim: false }), v =>
  isValidVersion(v) ? undefined : `Release with name ${v} is not allowed`
)

/** ReleaseSerializerWithProjects: the create (POST) body; projects are resolved by the route. */
export const createBody = objectField({
  ...releaseFields,
  version: required(version),
  owner: nullable(charField()),
  projects: required(listField(value => value))
})

const ENVIRONMENT_NAME = /^[^\n\r\f/]*$/

/**
 * DeploySerializer; projects are looked up in the org (ProjectField with id_allowed): "Invalid project" when missing,
 * "Insufficient access to project" when the token may not use it.
 */
export function deployBody(
  findProject: (idOrSlug: unknown) => Project | undefined,
  mayUse: (project: Project) => boolean
): Parse<Record<string, unknown>> {
  const projectField = (value: unknown): Project => {
    const project = findProject(value)
    if (!project) throw new Invalid(['Invalid project'])
    if (!mayUse(project)) throw new Invalid(['Insufficient access to project'])
    return project
  }
  return objectField({
    name: nullable(charField({ max: 64, allowBlank: true })),
    environment: required(check(charField({ max: 64 }), env => (ENVIRONMENT_NAME.test(env) ? undefined : 'Invalid value for environment'))),
    url: nullable(urlField()),
    dateStarted: nullable(dateTimeField()),
    dateFinished: nullable(dateTimeField()),
    projects: optional(listField(projectField, { allowEmpty: false }))
  })
}
