// Fast, deterministic generator of real git repositories for benchmarks and tests.
// One `git fast-import` process is fed a streamed history (100,000 commits in seconds, where one
// `git commit` per commit would take many minutes), then a working clone is made of the bare repo.
import { spawn } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { once } from 'node:events'
import type { Writable } from 'node:stream'

export interface SyntheticRepoOptions {
  /** Parent directory; `work/` (the checkout) and `origin.git/` (bare) are created in it. */
  dir: string
  /** Commits on main's first-parent line, merge commits included. */
  commits: number
  /** Tags spaced evenly along main; the last one is on the head commit. Default 0. */
  tags?: number
  /** Tag name for the i-th tag (0-based). Default semver with prefix 'v': v1.0.0, v1.0.1, ... */
  tagName?: (index: number) => string
  /** Which tags are annotated: none, all, or every other one (odd indexes). Default 'lightweight'. */
  tagKind?: 'lightweight' | 'annotated' | 'mixed'
  /** Every n-th main commit merges a one-commit side branch; 0 = linear history. Default 0. */
  mergeEvery?: number
  /** URL configured as the clone's `origin` remote; default the bare repository's path. */
  remoteUrl?: string
  /**
   * How `work/` is made: 'clone' (tags in packed-refs, peeled), or 'fetch' as actions/checkout with
   * fetch-depth: 0 does (init, fetch of branches and tags, checkout): every tag a loose ref, as on a runner.
   * Default 'clone'.
   */
  checkout?: 'clone' | 'fetch'
  /** Seed of the pseudo-random choice of file changes. Default 1. */
  seed?: number
}

export interface SyntheticTag {
  name: string
  /** Position of the tagged commit in `mainCommits`. */
  index: number
  /** The commit the tag points to (peeled). */
  commit: string
  annotated: boolean
}

export interface SyntheticRepo {
  /** Working clone (main checked out, `origin` remote, all tags). */
  workDir: string
  /** Bare repository the clone was made from. */
  originDir: string
  /** Main's first-parent commits, oldest first; the last one is HEAD. */
  mainCommits: string[]
  /** Side-branch commits reachable only through merges. */
  sideCommitCount: number
  tags: SyntheticTag[]
}

const EPOCH = 1_700_000_000 // fixed dates: commit i is EPOCH + 60 * i seconds, UTC
const AUTHORS = ['Ada Lovelace <ada@example.com>', 'Grace Hopper <grace@example.com>', 'Linus Bench <linus@example.com>']
const DIRECTORIES = 64 // spread files so trees stay small: fast-import rewrites every tree on a changed path
const MIN_LIVE_FILES = 8
const BLOB_VARIANTS = 4096
const FLUSH_BYTES = 1 << 20

/** v1.0.0, v1.0.1 ... v1.0.9, v1.1.0 ... v1.9.9, v2.0.0 ...: sorted by version, the order of history. */
export function semverTagName(prefix: string): (index: number) => string {
  return i => `${prefix}${1 + Math.floor(i / 100)}.${Math.floor(i / 10) % 10}.${i % 10}`
}

/** Index in `mainCommits` of the i-th of `tags` tags spaced evenly over `commits` commits. */
export function tagPosition(i: number, tags: number, commits: number): number {
  return Math.floor(((i + 1) * commits) / tags) - 1
}

/** Deterministic PRNG (mulberry32): same seed, same repository. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`
}

// A few thousand distinct contents: fast-import stores a repeated blob once (blobs are then 1% of the objects).
function fileContent(revision: number): string {
  return `export const revision = ${revision % BLOB_VARIANTS}\n`
}

/** The live file set and the choice of changes; returns fast-import file commands. */
class FileTree {
  private live: string[] = []
  private created = 0
  constructor(private readonly random: () => number) {}

  private pick(): number {
    return Math.floor(this.random() * this.live.length)
  }

  private newPath(): string {
    const n = this.created++
    return `src/d${n % DIRECTORIES}/file${n}.ts`
  }

  add(revision: number): string {
    const path = this.newPath()
    this.live.push(path)
    return `M 100644 inline ${path}\n${data(fileContent(revision))}`
  }

  modify(revision: number): string {
    const path = this.live[this.pick()]
    return `M 100644 inline ${path}\n${data(fileContent(revision))}`
  }

  /** Mostly modifications, some additions, deletions and renames; the set never drops below a floor. */
  change(revision: number): string {
    const r = this.random()
    if (this.live.length < MIN_LIVE_FILES || r < 0.1) return this.add(revision)
    if (r < 0.82) return this.modify(revision)
    const i = this.pick()
    const path = this.live[i]
    if (r < 0.9) {
      this.live.splice(i, 1)
      return `D ${path}\n`
    }
    const target = this.newPath()
    this.live[i] = target
    return `R ${path} ${target}\n`
  }
}

/** Buffers fast-import input and writes it in large chunks, waiting for the pipe to drain. */
class StreamWriter {
  private parts: string[] = []
  private size = 0
  constructor(private readonly out: Writable) {}

  async write(text: string): Promise<void> {
    this.parts.push(text)
    this.size += text.length
    if (this.size >= FLUSH_BYTES) await this.flush()
  }

  async flush(): Promise<void> {
    const chunk = this.parts.join('')
    this.parts = []
    this.size = 0
    if (!this.out.write(chunk)) await once(this.out, 'drain')
  }
}

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', code => (code === 0 ? resolve(stdout) : reject(new Error(`git ${args[0]} failed (${code}): ${stderr.trim()}`))))
  })
}

interface Stream {
  /** Marks of main's first-parent commits, in order. */
  mainMarks: number[]
  sideMarks: number[]
  tags: Array<{ name: string; index: number; annotated: boolean }>
}

/** Writes the whole history to fast-import's stdin. Marks: commits get 1..n in creation order. */
async function writeHistory(out: StreamWriter, options: Required<Omit<SyntheticRepoOptions, 'remoteUrl' | 'checkout'>>): Promise<Stream> {
  const { commits, tags, tagName, tagKind, mergeEvery } = options
  const files = new FileTree(prng(options.seed))
  const stream: Stream = { mainMarks: [], sideMarks: [], tags: [] }
  const tagAt = new Map<number, number>()
  for (let t = 0; t < tags; t++) tagAt.set(tagPosition(t, tags, commits), t)
  let mark = 0
  let revision = 0

  const header = (ref: string, author: string, time: number): string =>
    `commit ${ref}\nmark :${++mark}\nauthor ${author} ${time} +0000\ncommitter ${author} ${time} +0000\n`

  for (let i = 0; i < commits; i++) {
    const time = EPOCH + 60 * i
    const author = AUTHORS[i % AUTHORS.length]
    const parent = stream.mainMarks.at(-1)
    let body: string
    if (mergeEvery > 0 && parent !== undefined && i % mergeEvery === 0) {
      // A side commit off the previous main commit, then a merge whose tree includes the side change.
      const sideChange = files.modify(++revision)
      await out.write(`${header('refs/synthetic/side', author, time - 30)}${data(`Side change ${i}`)}from :${parent}\n${sideChange}\n`)
      stream.sideMarks.push(mark)
      const side = mark
      body = `${header('refs/heads/main', author, time)}${data(`Merge side change ${i}`)}from :${parent}\nmerge :${side}\n${sideChange}`
    } else {
      const from = parent === undefined ? '' : `from :${parent}\n`
      const change = i === 0 ? files.add(++revision) : files.change(++revision)
      body = `${header('refs/heads/main', author, time)}${data(`Change ${i}`)}${from}${change}`
    }
    await out.write(`${body}\n`)
    stream.mainMarks.push(mark)

    const t = tagAt.get(i)
    if (t === undefined) continue
    const name = tagName(t)
    const annotated = tagKind === 'annotated' || (tagKind === 'mixed' && t % 2 === 1)
    stream.tags.push({ name, index: i, annotated })
    if (annotated) await out.write(`tag ${name}\nfrom :${mark}\ntagger ${author} ${time} +0000\n${data(`Release ${name}`)}`)
  }
  // Lightweight tags after the history, so main stays the only branch fast-import keeps loaded while writing commits.
  for (const t of stream.tags) {
    if (!t.annotated) await out.write(`reset refs/tags/${t.name}\nfrom :${stream.mainMarks[t.index]}\n\n`)
  }
  await out.write('done\n')
  await out.flush()
  return stream
}

function parseMarks(text: string): Map<number, string> {
  const marks = new Map<number, string>()
  for (const line of text.split('\n')) {
    if (line) marks.set(Number(line.slice(1, line.indexOf(' '))), line.slice(line.indexOf(' ') + 1))
  }
  return marks
}

/** The commands actions/checkout runs for fetch-depth: 0 (refspecs from its source), minus auth and progress. */
async function checkoutLikeRunner(originDir: string, workDir: string): Promise<void> {
  await mkdir(workDir, { recursive: true })
  await git(['init', '--quiet', '--initial-branch=main'], workDir)
  await git(['remote', 'add', 'origin', originDir], workDir)
  await git(
    [
      '-c',
      'protocol.version=2',
      'fetch',
      '--quiet',
      '--prune',
      '--no-recurse-submodules',
      'origin',
      '+refs/heads/*:refs/remotes/origin/*',
      '+refs/tags/*:refs/tags/*'
    ],
    workDir
  )
  await git(['checkout', '--quiet', '--force', '-B', 'main', 'refs/remotes/origin/main'], workDir)
}

/** Generates the repository; see SyntheticRepoOptions. Fails if `dir` already holds one. */
export async function createSyntheticRepo(options: SyntheticRepoOptions): Promise<SyntheticRepo> {
  if (!Number.isInteger(options.commits) || options.commits < 1) throw new Error('commits: a positive integer is required')
  const settings = {
    dir: options.dir,
    commits: options.commits,
    tags: Math.min(options.tags ?? 0, options.commits),
    tagName: options.tagName ?? semverTagName('v'),
    tagKind: options.tagKind ?? 'lightweight',
    mergeEvery: options.mergeEvery ?? 0,
    seed: options.seed ?? 1
  }
  const originDir = join(options.dir, 'origin.git')
  const workDir = join(options.dir, 'work')
  const marksFile = join(options.dir, 'marks')
  await mkdir(originDir, { recursive: true })
  await git(['init', '--quiet', '--bare', '--initial-branch=main'], originDir)

  const importer = spawn('git', ['fast-import', '--quiet', '--done', `--export-marks=${marksFile}`], {
    cwd: originDir,
    stdio: ['pipe', 'ignore', 'pipe']
  })
  let stderr = ''
  importer.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = once(importer, 'close')
  const stream = await writeHistory(new StreamWriter(importer.stdin), settings)
  importer.stdin.end()
  const [code] = (await exited) as [number | null]
  if (code !== 0) throw new Error(`git fast-import failed (${code}): ${stderr.trim()}`)
  if (stream.sideMarks.length > 0) await git(['update-ref', '-d', 'refs/synthetic/side'], originDir)

  if (options.checkout === 'fetch') await checkoutLikeRunner(originDir, workDir)
  else await git(['clone', '--quiet', originDir, workDir], options.dir)
  if (options.remoteUrl) await git(['remote', 'set-url', 'origin', options.remoteUrl], workDir)

  const marks = parseMarks(await readFile(marksFile, 'utf8'))
  const sha = (m: number): string => marks.get(m) ?? ''
  const mainCommits = stream.mainMarks.map(sha)
  return {
    workDir,
    originDir,
    mainCommits,
    sideCommitCount: stream.sideMarks.length,
    tags: stream.tags.map(t => ({ ...t, commit: mainCommits[t.index] }))
  }
}
