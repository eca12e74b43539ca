// Work the server does after answering, as Sentry's task workers do: delayed, counted, and awaited by settle().

export class BackgroundTasks {
  private pending = new Set<Promise<void>>()

  /** Runs `work` after `delayMs`; what it throws goes to `onError`. */
  run(delayMs: number, work: () => Promise<void> | void, onError: (e: unknown) => void): void {
    const task = new Promise<void>(resolve => setTimeout(resolve, delayMs))
      .then(work)
      .catch(onError)
      .finally(() => this.pending.delete(task))
    this.pending.add(task)
  }

  count(): number {
    return this.pending.size
  }

  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending])
  }
}
