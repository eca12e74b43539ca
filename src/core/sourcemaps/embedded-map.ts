/** A `data:` URL source map: its JSON text and the URL's header (`data:application/json;charset=utf-8;base64`). */
export interface EmbeddedMap {
  header: string
  text: string
}

/** Decodes a data: URL (base64 or percent-encoded); undefined when it is not one. */
export function decodeDataUrl(url: string): EmbeddedMap | undefined {
  const comma = url.indexOf(',')
  if (!url.startsWith('data:') || comma < 0) return undefined
  const header = url.slice(0, comma)
  const payload = url.slice(comma + 1)
  try {
    const text = /;base64$/i.test(header) ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload)
    return { header, text }
  } catch {
    return undefined
  }
}

/** The data: URL for a map's new text, encoded as the original was. */
export function encodeDataUrl(header: string, text: string): string {
  const payload = /;base64$/i.test(header) ? Buffer.from(text).toString('base64') : encodeURIComponent(text)
  return `${header},${payload}`
}
