// Fault injection: the next matching requests get a chosen status, delay, hang or dropped connection.
import type { FaultRule } from './types.js'

interface ActiveRule {
  rule: FaultRule
  left: number
}

export class Faults {
  private rules: ActiveRule[] = []

  add(rule: FaultRule): void {
    const times = rule.times as unknown
    const left = times === undefined ? 1 : times === null || times === 'Infinity' ? Infinity : Number(times)
    this.rules.push({ rule, left })
  }

  clear(): void {
    this.rules = []
  }

  /** The first rule matching this request, counted as used. */
  take(method: string, path: string): FaultRule | undefined {
    const active = this.rules.find(a => a.left > 0 && matches(a.rule, method, path))
    if (active) active.left--
    return active?.rule
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method) return false
  if (rule.path === undefined) return true
  return typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path)
}
