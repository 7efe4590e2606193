/**
 * The sandbox's notion of "now". Every time rule (token validity, 24-hour cancel, 3-day retrieval,
 * 30-day reporting window, EWB validity, outage windows) reads this clock, so tests move it through the
 * admin API instead of waiting. It runs with real time from an offset, or stands still when frozen.
 */
export interface ClockState {
  now: string;
  offsetMs: number;
  frozen: boolean;
}

export class SandboxClock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.frozenAt ?? this.realNow() + this.offsetMs;
  }

  /** Jumps to `instant`; a frozen clock stays frozen there. */
  set(instant: Date): void {
    if (this.frozenAt !== undefined) this.frozenAt = instant.getTime();
    else this.offsetMs = instant.getTime() - this.realNow();
  }

  advance(ms: number): void {
    this.set(new Date(this.nowMs() + ms));
  }

  freeze(): void {
    this.frozenAt = this.nowMs();
  }

  unfreeze(): void {
    if (this.frozenAt === undefined) return;
    this.offsetMs = this.frozenAt - this.realNow();
    this.frozenAt = undefined;
  }

  /** Back to real time. */
  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = undefined;
  }

  state(): ClockState {
    const frozen = this.frozenAt !== undefined;
    return {
      now: this.now().toISOString(),
      offsetMs: frozen ? this.nowMs() - this.realNow() : this.offsetMs,
      frozen,
    };
  }
}
