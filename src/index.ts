/**
 * touchpoint's one API: what the CLI, the web handlers, the scheduler and the scripts call. The
 * application layer (src/app/) is here; below it the pure core (metrics), the store and the
 * sources; above it only the surfaces (present/, web/, digest/, cli/).
 */
export { Workspace, trackingOf, type MetricsQuery, type Freshness } from './app/workspace.js';
export { openWorkspace, hasConfig, watchConfig, DEMO_CONFIG, type Opened } from './app/open.js';
export { syncAll, type SourceResult, type SyncAllOptions } from './app/sync.js';
export { Scheduler, previousOccurrence, type Job, type JobState, type SchedulerOptions, type ServiceState } from './app/scheduler.js';
export { scheduledJobs, scheduledDigests, deliverEverywhere, type ScheduleDeps, type ScheduledDigest, type DigestTarget } from './app/schedules.js';
export {
  digestContent,
  prepareDigest,
  deliverDigest,
  digestName,
  dashboardUrlWarning,
  hasNews,
  sendLogName,
  SendFailure,
  NUGGET_DAYS,
  MISSING_LOOKBACK_DAYS,
} from './app/digests.js';
export type {
  Digest,
  DigestContent,
  DigestKind,
  DigestChannel,
  ChannelMessage,
  ExecContent,
  TeamContent,
  Mailer,
  DeliverOptions,
  DeliverResult,
} from './app/digests.js';
export { runOnce, type RunOnceResult, type DigestRun } from './app/run-once.js';
export { personView, RECENT_CONVERSATIONS, type PersonView } from './app/person.js';
export { CONVERSATIONS_PER_PAGE, type ConversationPage, type ConversationRow, type DrillQuery, type ListSpec } from './app/views.js';
export { runDoctor, type Check } from './app/doctor.js';
export { keepHeapsTight, HEAP_GROWING_PERCENT } from './app/memory.js';
export { runInBackground, BACKGROUND_NICENESS } from './app/priority.js';
export { readSetup, renderConfig, INIT_SAMPLE_ROWS, ENUM_FIELDS, FIELD_NAMES, type InitTarget, type Proposal } from './app/init/index.js';
export { loadConfig, parseConfig, DEFAULT_CONFIG_FILE } from './config/load.js';
export { loadSecrets, isInteractive, type Secrets } from './config/env.js';
export { EXEC_DIGEST_SCHEDULE } from './config/schema.js';
export type { Config, SourceConfig, Targets } from './config/schema.js';
export { TouchpointError, type ErrorCode } from './errors.js';
export type { Metrics, Rate } from './metrics/index.js';
export type { ListedConversation, Nugget } from './metrics/lists.js';
export type { SyncReport, SyncOutcome } from './sync/run.js';
export type { RunLog } from './store/store.js';
export type { Finding } from './model/finding.js';
export type { Interview } from './model/interview.js';
export type { RequestLogEntry } from './sources/source.js';
export { isPm } from './model/person.js';
export { realClock, type Clock } from './model/clock.js';
