import { print, printError } from '../output.js';
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import type { AppOptions } from '../../web/app.js';
import { DEFAULT_CONFIG_FILE, hasConfig, keepHeapsTight, openWorkspace, syncAll, watchConfig, type Opened } from '../../index.js';

interface ServeFlags {
  config: string;
  host?: string;
  port?: number;
}

/** `touchpoint serve`: the dashboard on the configured store; the demo when no config exists. */
export async function run(flags: ServeFlags): Promise<Server> {
  if (flags.config === DEFAULT_CONFIG_FILE && !hasConfig(resolve(flags.config))) {
    print(`No ${DEFAULT_CONFIG_FILE} here, so touchpoint serves its bundled DEMO data.`);
    return runDemo({ host: flags.host ?? '127.0.0.1', port: flags.port ?? 3000 });
  }
  const context = openWorkspace(flags.config);
  // The worker starts reading the rows now, while the web stack loads and the server binds: the
  // first page then waits only for what is left of that.
  const first = context.workspace.offload() ? context.workspace.prepare({}, undefined, false) : Promise.resolve();
  // A service keeps its heaps near what is live, once the first view is made: under the tight
  // limit, reading and placing 100 000 rows ran a collection at every third of growth, and the
  // first page came 0.1 s later (BENCHMARKS.md, "First page").
  void first.catch(() => undefined).finally(() => keepHeapsTight());
  // Schedules (sync, digests) run inside the dashboard process; never for the demo.
  const schedules = await import('./schedule.js');
  const scheduler = schedules.makeScheduler(context.workspace, context.secrets);
  schedules.keepRunningOnRejections();
  const server = await start(context, flags.host, flags.port, scheduler ? () => scheduler.state() : undefined);
  // Roster, targets, zone, mapping and digest content follow edits at once; schedules and dashboard.* need a restart.
  const watcher = watchConfig(context.configPath, context.workspace, (line) => print(`[${new Date().toISOString()}] ${line}`));
  server.once('close', () => watcher.close());
  if (scheduler) {
    server.once('close', () => void scheduler.stop());
    await schedules.startScheduler(scheduler, context.workspace);
  }
  return server;
}

/** `touchpoint demo`: sync the bundled demo CSV into memory and serve it. */
export async function runDemo(flags: { host: string; port: number }): Promise<Server> {
  const context = openWorkspace('', { demo: true });
  const results = await syncAll(context.workspace.config, context.workspace.store);
  const read = results.reduce((n, r) => n + (r.outcome?.report.read ?? 0), 0);
  print(`Demo: loaded ${read} interviews of a fictional organisation (as of ${context.workspace.asOf()}).`);
  return start(context, flags.host, flags.port);
}

async function start(context: Opened, host?: string, port?: number, service?: AppOptions['service']): Promise<Server> {
  const [{ createApp }, { listen }, { filterBarQueries }, { warmPages }] = await Promise.all([
    import('../../web/app.js'),
    import('../../web/server.js'),
    import('../../web/context.js'),
    import('../../web/warm.js'),
  ]);
  const { workspace, secrets } = context;
  const bind = { host: host ?? workspace.config.dashboard.host, port: port ?? workspace.config.dashboard.port, token: secrets.dashboardToken };
  const log = (line: string) => printError(`[${new Date().toISOString()}] ${line}`);
  const app = createApp({ workspace, token: secrets.dashboardToken, log, ...(service ? { service } : {}) });
  // Views are computed in a worker thread, off the event loop: no request waits on another's
  // metrics. It starts reading the store now, while the server binds.
  const offloaded = workspace.offload({ warm: () => filterBarQueries(workspace) });
  const warming = offloaded ? workspace.prepare() : null;
  warming?.catch((error: unknown) => log(error instanceof Error ? error.message : String(error)));
  let server: Server;
  try {
    server = await listen(app, bind);
  } catch (error) {
    await workspace.close();
    throw error;
  }
  const address = server.address();
  const shown = typeof address === 'object' && address ? `http://${inUrl(bind.host)}:${address.port}` : bind.host;
  print(`Dashboard${workspace.options.demo ? ' (DEMO DATA)' : ''}: ${shown}${secrets.dashboardToken ? ' (token required)' : ''}. Ctrl-C stops it.`);
  // Once the rows are read, the main pages are rendered and kept before readers crowd in.
  const origin = typeof address === 'object' && address ? `http://${loopbackOf(address.address)}:${address.port}` : null;
  // While the worker reads the rows, this thread reads what the first page adds to its view.
  if (offloaded) setImmediate(() => workspace.readAhead());
  // A turn later: a reader already waiting for the first view is answered before the warming asks.
  if (offloaded && origin)
    void warming
      ?.then(() => new Promise((resolve) => setImmediate(resolve)))
      .then(() => warmPages(origin, secrets.dashboardToken))
      .catch(() => undefined);
  // Inline (the demo): warm the metrics cache once listening; a damaged store is said, not fatal.
  if (!offloaded) {
    setImmediate(() => {
      try {
        workspace.metrics();
      } catch (error) {
        log(error instanceof Error ? error.message : String(error));
      }
    });
  }
  server.once('close', () => void workspace.close());
  const stop = () => server.close(() => workspace.store.close());
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}

/** Where this machine reaches a server bound to `address`: an unspecified address is reached on loopback. */
function loopbackOf(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  return inUrl(address === '::' ? '::1' : address);
}

/** A host as a URL writes it: an IPv6 address in brackets. */
function inUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
