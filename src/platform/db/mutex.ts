/** A FIFO lock: `acquire()` resolves with a release function once every earlier holder released. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve()
  #pending = 0

  /** Holders and waiters now: 0 when free, 1 when held, more when callers wait. */
  get pending(): number {
    return this.#pending
  }

  acquire(): Promise<() => void> {
    let release!: () => void
    this.#pending++
    const held = new Promise<void>((resolve) => {
      let released = false
      release = () => {
        if (!released) this.#pending--
        released = true
        resolve()
      }
    })
    const ready = this.#tail.then(() => release)
    this.#tail = this.#tail.then(() => held)
    return ready
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire()
    try {
      return await fn()
    } finally {
      release()
    }
  }
}
