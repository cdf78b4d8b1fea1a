/**
 * A concurrency limiter that adapts: each throttle halves the number of calls allowed in flight, each success
 * grows it back additively (AIMD), never above the configured maximum.
 */
export class AdaptiveLimiter {
  private limit: number;
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  /** Create a limiter allowing at most `max` calls at once. */
  constructor(readonly max: number) {
    this.limit = max;
  }

  /** Calls currently allowed in flight. */
  get allowed(): number {
    return Math.max(1, Math.floor(this.limit));
  }

  /** Run fn once a slot is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.allowed) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the releaser hands its slot over
    try {
      return await fn();
    } finally {
      this.active--;
      this.wake();
    }
  }

  /** The service said slow down: halve the window. */
  throttled(): void {
    this.limit = Math.max(1, this.limit / 2);
  }

  /** A call succeeded: widen the window a little. */
  succeeded(): void {
    if (this.limit < this.max) {
      this.limit = Math.min(this.max, this.limit + 1 / this.allowed);
      this.wake();
    }
  }

  private wake(): void {
    while (this.waiting.length && this.active < this.allowed) {
      this.active++;
      this.waiting.shift()?.();
    }
  }
}
