import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AREAS } from './areas.js';
import { TouchpointError } from '../errors.js';
import { DEFAULT_CONFIG_FILE } from '../config/defaults.js';
import { printError, redactSecrets } from './output.js';
import { loadSecrets, secretRedactor } from '../config/env.js';
import { VERSION } from '../version.js';

/** A calendar date that exists: `2026-02-30` is refused, not rolled over into March. */
function isoDate(value: string): string {
  // A real date survives the round trip through Date (2026-02-30 does not: invalid, or rolled over into March).
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('use a date that exists, like 2026-11-20.');
  }
  return value;
}

function windowDays(value: string): number {
  const m = /^(\d+)\s*([dw])$/i.exec(value.trim());
  const days = m ? Number(m[1]) * (m[2]!.toLowerCase() === 'w' ? 7 : 1) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > 3660) throw new InvalidArgumentError('use a length like 90d or 12w.');
  return days;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('use a port number from 0 to 65535.');
  return n;
}

/** The command table; each action imports its command file only when it runs. */
export function buildProgram(): Command {
  const program = new Command('touchpoint')
    .description('Tells a product organisation whether it really talks to its customers.')
    .version(VERSION)
    .showHelpAfterError('(add --help for usage)')
    // Commander reports a bad flag, --help and --version by throwing, not by exiting: `main` sets
    // the exit code, so the CLI can be run in process (tests) as well as from the binary.
    .exitOverride();

  program
    .command('init')
    .description(
      'Write a touchpoint.config.yaml for a Notion database, an Airtable table or a CSV file: mapping, value maps and roster proposed from its columns and rows.',
    )
    .option('--notion <url|id>', 'the Notion database URL (from the browser) or id')
    .option('--airtable <baseId>', 'the Airtable base id (app…, in the URL of the base)')
    .option('--table <name|id>', 'with --airtable: the table holding the interviews')
    .option('--csv <file>', 'a CSV exported from Notion or Airtable')
    .option('-c, --config <file>', 'the config file to write', DEFAULT_CONFIG_FILE)
    .option('--name <name>', 'the source name, part of every interview id (default: interviews, or the file name)')
    .option('-y, --yes', 'take every proposal without asking')
    .option('--force', 'overwrite an existing config file')
    .option('--map <field=column>', 'place a field on a column before any guess (repeatable)', (value: string, all: string[] = []) => [...all, value])
    .option('--timezone <zone>', "the team's time zone (default: this machine's)")
    .option('--organisation <name>', 'shown in page titles and digests')
    .option('--sample <rows>', 'rows to count values and people over (0: the columns only)', (value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('use a whole number of rows, 0 or more.');
      return n;
    })
    .option('--api-base-url <url>', 'Notion API base URL, for a proxy or a local server')
    .option('--endpoint-url <url>', 'Airtable API URL, for a proxy or a local server')
    .action(async (options) => {
      const command = await import('./commands/init.js');
      const terminal = options.yes ? null : command.terminalAsk();
      try {
        await command.run(options, terminal?.ask);
      } finally {
        terminal?.close();
      }
    });

  program
    .command('doctor')
    .description('Check the config, the store, access to each source and its mapping, SMTP and the dashboard binding.')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .action(async (options) => (await import('./commands/doctor.js')).run(options));

  program
    .command('sync')
    .description('Read every configured source into the store and print what changed.')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('-s, --source <name>', 'sync only this source')
    .option('--full', 'list every row, even when a bookmark would allow an incremental run')
    .option('--force', 'allow a run to mark more rows deleted than sync.maxDeleteShare')
    .option('-v, --verbose', 'also print every request sent: method, path, status, attempt, waits')
    .action(async (options) => (await import('./commands/sync.js')).run(options));

  program
    .command('metrics')
    .description('Print every metric as terminal tables (or one area), or as one JSON document.')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('--as-of <date>', 'compute as of this date (YYYY-MM-DD) instead of today', isoDate)
    .option('--json', 'print the metrics document as JSON (contract: docs/metrics.md)')
    .addOption(new Option('--area <area>', 'print one area only').choices(AREAS))
    .option('--window <length>', 'coverage, quality, accounts and themes window, e.g. 90d or 12w (default targets.windowDays)', windowDays)
    .option('--team <name>', 'only this team of the roster, and the conversations that credit it')
    .action(async (options) => (await import('./commands/metrics.js')).run(options));

  program
    .command('serve')
    .description('Serve the dashboard. Without a config file, serves the bundled demo data.')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('--host <host>', 'interface to bind (non-loopback needs DASHBOARD_TOKEN)')
    .option('-p, --port <port>', 'port', port)
    .action(async (options) => void (await (await import('./commands/serve.js')).run(options)));

  program
    .command('digest')
    .description('Preview or send a digest: exec (weekly, for executives) or team (every new conversation with its tl;dr).')
    .argument('<which>', 'exec or team', (value: string) => {
      if (value !== 'exec' && value !== 'team') throw new InvalidArgumentError('use exec or team.');
      return value;
    })
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('--team <name>', 'the team (for team digests)')
    .option('--preview [dir]', 'write the HTML, the text and the Slack JSON into a folder (default ./digest-preview); the default')
    .option('--send', 'send it on its channels (e-mail over SMTP_URL, Slack) for the current period (once: the schedule will not send it again)')
    .option('--to <emails>', 'send to these comma-separated addresses instead of the configured ones')
    .option('--force', 'send even if this period was sent already')
    .option('--as-of <date>', 'compose as of this date (YYYY-MM-DD)', isoDate)
    .action(async (which, options) => (await import('./commands/digest.js')).run(which, options));

  program
    .command('run')
    .description('With --once: sync every source, send the digests that are due (within digests.graceHours), and exit — for cron, systemd timers and CI.')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('--once', 'run once and exit (exit code 1 when a source or a digest failed)')
    .action(async (options) => (await import('./commands/run.js')).run(options));

  program
    .command('export')
    .description('Write every interview (all fields) and every finding to a folder, as JSON or CSV.')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('--format <format>', 'json or csv', 'json')
    .option('--out <dir>', 'the folder to write into', 'export')
    .action(async (options) => (await import('./commands/export.js')).run(options));

  program
    .command('schedule')
    .description('Run the configured schedules (sync.schedule, digests) without the dashboard.')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .action(async (options) => (await import('./commands/schedule.js')).run(options));

  program
    .command('demo')
    .description('Serve the dashboard on the bundled demo organisation (nothing is written to disk).')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('-p, --port <port>', 'port', port, 3000)
    .action(async (options) => void (await (await import('./commands/serve.js')).runDemo(options)));

  return program;
}

/** Run the CLI; a known error prints one line to act on and exits 1, anything else its stack. */
export async function main(argv: string[]): Promise<void> {
  // Secrets are read once here (and .env loaded), so nothing this process writes can carry one.
  redactSecrets(secretRedactor(loadSecrets()));
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    // Commander has printed what it had to say (the help, the version, "unknown option"): only its exit code is left.
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (TouchpointError.isTouchpointError(error)) {
      printError(`touchpoint: ${error.message}`);
      for (const line of error.details) printError(`  - ${line}`);
    } else {
      // A bug: the stack is wanted, but never a secret inside it.
      printError(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    process.exitCode = 1;
  }
}
