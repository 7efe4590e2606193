/**
 * Which offset of a partition may be committed: the one after the highest offset below which every
 * record has completed. Records of a partition complete out of order (different document keys run
 * concurrently), so a completed record past a gap waits until the gap closes.
 *
 * Offsets are strings on the wire (int64); they are held as bigint so no precision is ever lost.
 */
export class PartitionOffsets {
  private readonly inFlight = new Set<bigint>();
  private readonly done = new Set<bigint>();
  /** The next offset to commit (Kafka's convention: last processed + 1), once known. */
  private next: bigint | undefined;

  /** A record entered the pipeline. Offsets must begin in increasing order (Kafka delivers them so). */
  begin(offset: string): void {
    const o = BigInt(offset);
    if (this.next === undefined) this.next = o;
    this.inFlight.add(o);
  }

  /** A record's output is acknowledged; returns the new committable offset if it advanced. */
  complete(offset: string): string | undefined {
    const o = BigInt(offset);
    if (!this.inFlight.delete(o)) throw new Error(`offset ${offset} was not in flight`);
    this.done.add(o);
    const before = this.next;
    // Advance over every completed offset; offsets absent from both sets (compacted, transaction
    // markers) are skipped only when something later has begun and nothing before it is in flight.
    while (this.next !== undefined) {
      if (this.done.delete(this.next)) {
        this.next += 1n;
      } else if (!this.inFlight.has(this.next) && this.hasLaterWork(this.next)) {
        this.next += 1n;
      } else break;
    }
    return this.next !== before && this.next !== undefined ? this.next.toString() : undefined;
  }

  private hasLaterWork(offset: bigint): boolean {
    const smallestInFlight = min(this.inFlight);
    const smallestDone = min(this.done);
    const candidates = [smallestInFlight, smallestDone].filter((x): x is bigint => x !== undefined);
    return candidates.length > 0 && candidates.every((c) => c > offset);
  }

  /** The offset to commit now (undefined until the first record completes). */
  committable(): string | undefined {
    return this.next?.toString();
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /** Records taken and not yet below the committable offset (in flight, or done past a gap). */
  get outstanding(): number {
    return this.inFlight.size + this.done.size;
  }
}

function min(values: Set<bigint>): bigint | undefined {
  let m: bigint | undefined;
  for (const v of values) if (m === undefined || v < m) m = v;
  return m;
}
