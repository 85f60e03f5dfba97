import cron, { type ScheduledTask } from 'node-cron';

/** A job the scheduler runs: a digest or a sync. `run` gets the period (the scheduled minute, UTC ISO). */
export interface Job {
  name: string;
  /** Five-field cron expression in the scheduler's time zone. */
  cron: string;
  /** A run still going after this long is given up on: logged, and the next slot runs. */
  deadlineMs?: number;
  run(period: string): Promise<unknown>;
}

/** What one job is doing, for /healthz and the Sync page. */
export interface JobState {
  name: string;
  running: boolean;
  /** When the run in progress started (UTC ISO). */
  since: string | null;
  /** When the last run ended, and how. */
  lastRun: string | null;
  lastError: string | null;
}

/** What the jobs around the dashboard are doing (/healthz, the Sync page). */
export interface ServiceState {
  status: 'ok' | 'degraded';
  jobs: JobState[];
}

/** A job's default deadline: a sync or a digest that takes longer is stuck, not slow. */
export const DEFAULT_JOB_DEADLINE_MS = 30 * 60_000;

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
  private readonly states = new Map<string, JobState>();

  constructor(
    private readonly jobs: readonly Job[],
    private readonly options: SchedulerOptions,
  ) {}

  /** Schedule every job, then make the missed runs; resolves when the catch-up runs are done. */
  async start(): Promise<void> {
    const now = (this.options.now ?? (() => new Date()))();
    for (const job of this.jobs) {
      this.tasks.push(cron.schedule(job.cron, (ctx) => this.fire(job, ctx.date), { timezone: this.options.timezone, name: job.name }));
    }
    for (const job of this.jobs) {
      const missed = previousOccurrence(job.cron, this.options.timezone, now, this.options.graceMs);
      if (missed) await this.fire(job, missed);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.splice(0).map((t) => t.destroy()));
  }

  /** Every job's state; `degraded` while one is still running at its next slot or its last run failed. */
  state(): ServiceState {
    const jobs = this.jobs.map((j) => this.states.get(j.name) ?? { name: j.name, running: false, since: null, lastRun: null, lastError: null });
    return { status: jobs.some((j) => j.lastError !== null) ? 'degraded' : 'ok', jobs };
  }

  private async fire(job: Job, at: Date): Promise<void> {
    const period = new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS).toISOString();
    const now = () => (this.options.now ?? (() => new Date()))().toISOString();
    const state = this.states.get(job.name) ?? { name: job.name, running: false, since: null, lastRun: null, lastError: null };
    this.states.set(job.name, state);
    if (state.running) {
      state.lastError = `still running since ${state.since} at the ${period} slot, which was skipped`;
      this.options.log?.(`${job.name}: ${state.lastError}`);
      return;
    }
    state.running = true;
    state.since = now();
    const deadlineMs = job.deadlineMs ?? DEFAULT_JOB_DEADLINE_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = job.run(period);
    const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), deadlineMs)));
    try {
      const outcome = await Promise.race([run.then(() => 'done' as const), deadline]);
      if (outcome === 'deadline') {
        // Given up on, not killed: its late end is ignored, and the next slot runs (a second sync waits on the store's lock).
        run.catch(() => {});
        state.lastError = `did not finish within ${Math.round(deadlineMs / 60_000)} min; given up on at ${now()}`;
        this.options.log?.(`${job.name} ${period}: ${state.lastError}`);
      } else {
        state.lastError = null;
      }
    } catch (error) {
      // A failed run is reported and left for the next run or restart; the scheduler goes on.
      state.lastError = error instanceof Error ? error.message : String(error);
      this.options.log?.(`${job.name} ${period}: ${state.lastError}`);
    } finally {
      clearTimeout(timer);
      state.running = false;
      state.since = null;
      state.lastRun = now();
    }
  }
}
