/**
 * Runs tasks so that tasks with the same key run one after another, in submission order, while tasks
 * of different keys run concurrently up to a bound. `submit` resolves once the task has *started*
 * (so a caller feeding records in offset order gets back-pressure when the bound is reached), and
 * returns the promise of the task's completion separately.
 */
export class KeyScheduler {
  private readonly tails = new Map<string, Promise<void>>();
  private running = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly maxInFlight: number) {
    if (!(maxInFlight >= 1)) throw new RangeError('maxInFlight must be at least 1');
  }

  get inFlight(): number {
    return this.running;
  }

  /** Keys with work queued or running. */
  get activeKeys(): number {
    return this.tails.size;
  }

  /**
   * Queue `task` behind earlier tasks of `key`. Resolves when a slot was taken for it (admission), with
   * `done`: the promise of its result.
   */
  async submit<T>(key: string, task: () => Promise<T>): Promise<{ done: Promise<T> }> {
    await this.acquire();
    const previous = this.tails.get(key) ?? Promise.resolve();
    const done = previous.then(task);
    const tail = done.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
      this.release();
    });
    return { done };
  }

  /** Resolves when every submitted task has finished. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  private acquire(): Promise<void> {
    if (this.running < this.maxInFlight) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiters.push(() => {
        this.running++;
        resolve();
      }),
    );
  }

  private release(): void {
    this.running--;
    this.waiters.shift()?.();
  }
}
