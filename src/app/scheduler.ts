import cron, { type ScheduledTask } from 'node-cron';

/** A job the scheduler runs: a digest or a sync. `run` gets the period (the scheduled minute, UTC ISO). */
export interface Job {
  name: string;
  /** Five-field cron expression in the scheduler's time zone. */
  cron: string;
  run(period: string): Promise<unknown>;
}

export interface SchedulerOptions {
  timezone: string;
  /** A run missed while the process was down is made on start if it is at most this late. */
  graceMs: number;
  now?: () => Date;
  log?: (line: string) => void;
}

const MINUTE_MS = 60_000;

/**
 * The latest minute at or before `before` that `expression` matches in `timezone`, looking back
 * at most `withinMs`; null if none. node-cron matches wall-clock time in the zone (via Intl), so
 * daylight-saving changes are handled there.
 */
export function previousOccurrence(expression: string, timezone: string, before: Date, withinMs: number): Date | null {
  const task = cron.createTask(expression, () => {}, { timezone });
  try {
    const start = Math.floor(before.getTime() / MINUTE_MS) * MINUTE_MS;
    for (let t = start; t >= before.getTime() - withinMs; t -= MINUTE_MS) {
      if (task.match(new Date(t))) return new Date(t);
    }
    return null;
  } finally {
    void task.destroy();
  }
}

/**
 * Runs jobs on their cron schedules (node-cron, in the team's zone) and, on start, catches up
 * on a run missed within the grace period. A job never overlaps itself; exactly-once delivery
 * across processes is the job's own business (digests claim their period in the store).
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<string>();

  constructor(
    private readonly jobs: readonly Job[],
    private readonly options: SchedulerOptions,
  ) {}

  /** Schedule every job, then make the missed runs; resolves when the catch-up runs are done. */
  async start(): Promise<void> {
    const now = (this.options.now ?? (() => new Date()))();
    for (const job of this.jobs) {
      this.tasks.push(cron.schedule(job.cron, (ctx) => this.fire(job, ctx.date), { timezone: this.options.timezone, name: job.name, noOverlap: true }));
    }
    for (const job of this.jobs) {
      const missed = previousOccurrence(job.cron, this.options.timezone, now, this.options.graceMs);
      if (missed) await this.fire(job, missed);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.splice(0).map((t) => t.destroy()));
  }

  private async fire(job: Job, at: Date): Promise<void> {
    const period = new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS).toISOString();
    if (this.running.has(job.name)) {
      this.options.log?.(`${job.name}: still running, ${period} skipped`);
      return;
    }
    this.running.add(job.name);
    try {
      await job.run(period);
    } catch (error) {
      // A failed run is reported and left for the next run or restart; the scheduler goes on.
      this.options.log?.(`${job.name} ${period}: ${(error as Error).message}`);
    } finally {
      this.running.delete(job.name);
    }
  }
}
