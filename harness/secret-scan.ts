/** Shortest piece of an org token's secret that counts as a leak; shorter needles would match by chance. */
export const MIN_SECRET_PART = 8

const ADD_MASK = '::add-mask::'

/**
 * What must never appear in a run's texts: each token whole and, for an org token
 * (`sntrys_<base64 payload>_<secret>`), every MIN_SECRET_PART-character piece of its secret —
 * any longer piece contains one of them. The payload is not secret (it holds org and url).
 */
export function secretNeedles(tokens: Array<string | undefined>): string[] {
  const needles = new Set<string>()
  for (const token of tokens.map(value => value?.trim())) {
    if (!token || token.length < MIN_SECRET_PART) continue
    needles.add(token)
    const secret = /^sntrys_[A-Za-z0-9+/=]*_(.+)$/s.exec(token)?.[1] ?? ''
    for (let start = 0; start + MIN_SECRET_PART <= secret.length; start++) needles.add(secret.slice(start, start + MIN_SECRET_PART))
  }
  return [...needles]
}

/**
 * Every place a secret shows, as "<text name> line <n>". The only place allowed is the runner's
 * `::add-mask::` commands at the very top of stdout: the token is masked before anything is logged.
 */
export function secretLeaks(texts: Record<string, string>, needles: string[]): string[] {
  const leaks: string[] = []
  for (const [name, text] of Object.entries(texts)) {
    const lines = text.split('\n')
    const masksEnd = name === 'stdout' ? lines.findIndex(line => !line.startsWith(ADD_MASK)) : 0
    lines.forEach((line, index) => {
      const allowed = index < (masksEnd === -1 ? lines.length : masksEnd)
      if (!allowed && needles.some(needle => line.includes(needle))) leaks.push(`${name} line ${index + 1}`)
    })
  }
  return leaks
}

/** Throws when a secret leaked, naming where (never the secret itself). */
export function assertNoSecretLeak(texts: Record<string, string>, tokens: Array<string | undefined>): void {
  const leaks = secretLeaks(texts, secretNeedles(tokens))
  if (leaks.length > 0) throw new Error(`The auth token (or a part of its secret) leaked into ${leaks.join(', ')}`)
}
