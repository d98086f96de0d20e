/** Where "now" comes from, so that timers can be tested without waiting for them. */
export interface Clock {
  now(): Date;
  /** A clock moved by hand says when it moves; answers the unsubscribe. */
  onChange?(listener: (now: Date) => void): () => void;
}

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until a test sets or advances it. */
export class TestClock implements Clock {
  private current: number;
  private readonly listeners = new Set<(now: Date) => void>();

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(date: Date): void {
    this.current = date.getTime();
    this.notify();
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`A clock only moves forward; advance(${ms}) refused`);
    this.current += ms;
    this.notify();
  }

  onChange(listener: (now: Date) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    const now = this.now();
    for (const listener of this.listeners) listener(now);
  }
}
