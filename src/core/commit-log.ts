/** One commit as `git log` describes it, before Sentry's limits are applied. */
export interface GitCommit {
  id: string
  authorName: string
  authorEmail: string
  /** Author date, strict ISO 8601. */
  timestamp: string
  message: string
  /** Changed files with git's status letter; empty for merges (their changes are in the merged commits). */
  files: Array<{ status: string; path: string }>
}

/** Which commits to list: after `previous` (exclusive) up to `head`, optionally only those touching `paths`. */
export interface LogQuery {
  head: string
  previous?: string
  /** Globs relative to the repository root; a leading `!` excludes. */
  paths: string[]
  /** Newest first, at most this many. */
  maxCount?: number
}

// A record starts with RS; fields and file entries end with NUL (`-z`), so no message or path can split them.
const RECORD_START = '\x1e'
const FIELDS = ['%H', '%an', '%ae', '%aI', '%B']

// Options that undo user or repository config which would change the output: signatures (log.showSignature), colour,
// notes, paths relative to the working directory (diff.relative), another output encoding (i18n.logOutputEncoding).
const PLAIN_OUTPUT = ['--no-show-signature', '--no-color', '--no-notes', '--no-relative', '--encoding=UTF-8']

/** `git log` arguments for the query: NUL-separated records, renames as delete + add, each commit's whole file list. */
export function logArgs(query: LogQuery): string[] {
  const format = `--format=${RECORD_START}${FIELDS.join('%x00')}`
  return ['log', ...PLAIN_OUTPUT, '-z', format, '--name-status', '--no-renames', '--full-diff', ...revisionArgs(query)]
}

/** `git rev-list --count` arguments for the same commits as logArgs. */
export function countArgs(query: LogQuery): string[] {
  return ['rev-list', '--count', ...revisionArgs(query)]
}

/**
 * Every commit touching the paths (--full-history: no merge simplification). With paths, merges are left out:
 * git counts a merge as touching whatever differs from either parent, and the merged commits are listed anyway.
 * Revisions come after --end-of-options, paths after --.
 */
function revisionArgs({ head, previous, paths, maxCount }: LogQuery): string[] {
  const limit = maxCount === undefined ? [] : [`--max-count=${maxCount}`]
  const merges = paths.length > 0 ? ['--no-merges'] : []
  const start = previous ? [`^${previous}`] : []
  return [...limit, '--full-history', ...merges, '--end-of-options', head, ...start, '--', ...paths.map(pathspec)]
}

/**
 * A glob as a git pathspec, from the repository root whatever working_directory is (`top`): `apps/web/**` ->
 * `:(top,glob)apps/web/**`, `!apps/web/docs/**` -> `:(top,glob,exclude)apps/web/docs/**`. In glob magic `*` stops at `/`.
 */
export function pathspec(glob: string): string {
  return glob.startsWith('!') ? `:(top,glob,exclude)${glob.slice(1)}` : `:(top,glob)${glob}`
}

/**
 * Incremental parser of `git log` output in the logArgs format: feed text chunks as they arrive, get each
 * commit once its record is complete. Holds only the unfinished record, so memory does not grow with the log.
 */
export class CommitLogParser {
  private pending = ''
  private tokens: string[] = []
  private current?: Omit<GitCommit, 'files'> & { files: Array<{ status: string; path?: string }> }

  constructor(private readonly onCommit: (commit: GitCommit) => void) {}

  push(text: string): void {
    const parts = (this.pending + text).split('\0')
    this.pending = parts.pop() ?? ''
    for (const token of parts) this.take(token)
  }

  /** Call when git has exited: emits the last commit. */
  end(): void {
    if (this.pending !== '') this.take(this.pending)
    this.pending = ''
    this.flush()
  }

  private take(token: string): void {
    if (this.tokens.length > 0) {
      this.tokens.push(token)
      if (this.tokens.length === FIELDS.length) this.startCommit()
      return
    }
    const last = this.current?.files.at(-1)
    if (last && last.path === undefined) {
      last.path = token
      return
    }
    // Where a status letter or a new record may start, git puts a newline after the message or file list.
    const start = token.replace(/^\n/, '')
    if (start.startsWith(RECORD_START)) {
      this.flush()
      this.tokens.push(start.slice(RECORD_START.length))
    } else if (start !== '' && this.current) {
      this.current.files.push({ status: start, path: undefined })
    }
  }

  private startCommit(): void {
    const [id, authorName, authorEmail, timestamp, message] = this.tokens
    this.current = { id, authorName, authorEmail, timestamp, message: message.trimEnd(), files: [] }
    this.tokens = []
  }

  private flush(): void {
    if (this.current) {
      const files = this.current.files.flatMap(({ status, path }) => (path === undefined ? [] : [{ status, path }]))
      this.onCommit({ ...this.current, files })
    }
    this.current = undefined
  }
}
