// multipart/form-data as Django's MultiPartParser reads it (django/http/multipartparser.py), for chunk uploads.

export interface FormPart {
  /** The form field name (Content-Disposition `name`). */
  name: string
  /** The file name after Django's sanitize_file_name (the last path component); null for a plain field. */
  filename: string | null
  /** Part headers, lower-cased names. */
  headers: Record<string, string>
  data: Buffer
}

/** Django's check of the boundary parameter (MultiPartParser.boundary_re: up to 70 printable characters). */
const BOUNDARY_RE = /^[ -~]{0,200}[!-~]$/

/** DRF turns Django's MultiPartParserError into a 400 with this detail. */
export class MultipartError extends Error {
  constructor(reason: string) {
    super(`Multipart form parse error - ${reason}`)
  }
}

/** A parameter of a header value like `form-data; name="file"; filename="abc"`; quotes removed. */
function headerParam(value: string, param: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${param}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i')
  const m = re.exec(value)
  if (!m) return undefined
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2].trim()
}

export function isMultipart(contentType: string | undefined): boolean {
  return /^multipart\/form-data\b/i.test((contentType ?? '').trim())
}

/** Django keeps the last path component of an uploaded file's name; '.' and '..' count as none (sanitize_file_name). */
function sanitizeFileName(name: string): string {
  const last = name.replace(/\\/g, '/').split('/').pop() ?? ''
  return last === '.' || last === '..' ? '' : last
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return headers
}

/** The parts of a multipart/form-data body; a missing or invalid boundary is Django's MultiPartParserError. */
export function parseMultipart(contentType: string, body: Buffer): FormPart[] {
  const boundary = headerParam(contentType, 'boundary')
  if (boundary === undefined || !BOUNDARY_RE.test(boundary)) {
    throw new MultipartError(`Invalid boundary in multipart: ${boundary ?? 'None'}`)
  }
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: FormPart[] = []
  let at = body.indexOf(delimiter)
  while (at >= 0) {
    let start = at + delimiter.length
    if (body.subarray(start, start + 2).toString() === '--') break
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2
    const headerEnd = body.indexOf('\r\n\r\n', start)
    if (headerEnd < 0) break
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4)
    // A body cut short ends the last part at the end of the stream, as Django's LazyStream does.
    const data = body.subarray(headerEnd + 4, next < 0 ? body.length : next)
    const headers = parseHeaders(body.subarray(start, headerEnd).toString('utf8'))
    const disposition = headers['content-disposition'] ?? ''
    const name = headerParam(disposition, 'name')
    const filename = headerParam(disposition, 'filename')
    if (name !== undefined && /^form-data\b/i.test(disposition)) {
      parts.push({ name, filename: filename === undefined ? null : sanitizeFileName(filename), headers, data })
    }
    at = next < 0 ? -1 : next + 2
  }
  return parts
}

/** The uploaded files of one field, as request.FILES.getlist(name): parts with a non-empty file name. */
export function filesOf(parts: FormPart[], field: string): FormPart[] {
  return parts.filter(p => p.name === field && p.filename)
}
