/**
 * Runs tasks so that tasks with the same key run one after another, in submission order, while tasks
 * of different keys run concurrently, at most `maxInFlight` at once.
 *
 * A task takes its slot only when the tasks of its key before it have finished, so records queued
 * behind one slow document never hold slots other documents could use. `run` never waits itself: the
 * caller bounds how much it queues (the runner's per-partition window). A task may give its slot back
 * while it waits for something other than the IRP (`slot.outside`), so a record held back for minutes
 * never keeps another from running, and may let the tasks of its key behind it go first
 * (`slot.letOthersPass`).
 */
export interface Slot {
  /** Gives the slot back while `work` runs, then takes one again (waiting for it if all are taken). */
  outside<T>(work: Promise<T>): Promise<T>;
  /**
   * Lets the tasks queued behind this one on its key start now (this one waits for something one of
   * them may bring: a cancel held for its generate).
   */
  letOthersPass(): void;
}

export class KeyScheduler {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly unfinished = new Set<Promise<void>>();
  private running = 0;
  private queued = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly maxInFlight: number) {
    if (!(maxInFlight >= 1)) throw new RangeError('maxInFlight must be at least 1');
  }

  /** Tasks holding a slot now. */
  get inFlight(): number {
    return this.running;
  }

  /** Tasks queued or running. */
  get pending(): number {
    return this.queued;
  }

  /** Keys with work queued or running. */
  get activeKeys(): number {
    return this.tails.size;
  }

  /** Queues `task` behind earlier tasks of `key`; resolves (or rejects) with its result. */
  run<T>(key: string, task: (slot: Slot) => Promise<T>): Promise<T> {
    this.queued++;
    const previous = this.tails.get(key) ?? Promise.resolve();
    let pass!: () => void;
    const passed = new Promise<void>((r) => (pass = r));
    const slot: Slot = { outside: (work) => this.outside(work), letOthersPass: () => pass() };
    const done = previous.then(async () => {
      await this.acquire();
      try {
        return await task(slot);
      } finally {
        this.release();
      }
    });
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.unfinished.add(settled);
    void settled.then(() => {
      this.queued--;
      this.unfinished.delete(settled);
    });
    const tail = Promise.race([settled, passed]);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return done;
  }

  /** Resolves when every submitted task has finished. */
  async drain(): Promise<void> {
    while (this.unfinished.size > 0) await Promise.all([...this.unfinished]);
  }

  private async outside<T>(work: Promise<T>): Promise<T> {
    this.release();
    try {
      return await work;
    } finally {
      await this.acquire();
    }
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
