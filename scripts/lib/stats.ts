// Summaries of repeated measurements, formatted for markdown tables.

export interface Spread {
  median: number
  min: number
  max: number
}

/** Median and range; null when there is no value (e.g. RSS without GNU time). */
export function spread(values: Array<number | null>): Spread | null {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b)
  if (known.length === 0) return null
  const mid = Math.floor(known.length / 2)
  const median = known.length % 2 ? known[mid] : (known[mid - 1] + known[mid]) / 2
  return { median, min: known[0], max: known.at(-1) as number }
}

/** "123 (110–140)" with the unit after the median; "unknown" for null. */
export function formatSpread(s: Spread | null, unit: string, digits = 0): string {
  if (!s) return 'unknown'
  const f = (v: number): string => v.toFixed(digits)
  return s.min === s.max ? `${f(s.median)} ${unit}` : `${f(s.median)} ${unit} (${f(s.min)}–${f(s.max)})`
}

export function ratio(a: Spread | null, b: Spread | null): string {
  return a && b && b.median > 0 ? `${(a.median / b.median).toFixed(2)}×` : 'n/a'
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`
}

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}
