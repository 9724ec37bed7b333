/**
 * `throttle`: at most N hosts run one task at once (Ansible's strategy counts the workers running
 * that task, loop and retries included). Hosts past the limit wait, in the order they arrived.
 */
export class TaskThrottle {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      // A waiting host takes over the slot; only when none waits does it free up.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
