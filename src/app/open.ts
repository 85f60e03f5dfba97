import { existsSync, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load.js';
import { loadSecrets, type Secrets } from '../config/env.js';
import { Store } from '../store/store.js';
import { Workspace } from './workspace.js';
import { TouchpointError } from '../errors.js';

/** The demo organisation's config, bundled with the package. */
export const DEMO_CONFIG = fileURLToPath(new URL('../../examples/demo/touchpoint.config.yaml', import.meta.url));

/** Everything a command needs: the workspace and the secrets. */
export interface Opened {
  workspace: Workspace;
  secrets: Secrets;
  configPath: string;
}

/** Load config, secrets and store; `demo` reads the bundled demo into a store in memory. */
export function openWorkspace(configPath: string, options: { demo?: boolean } = {}): Opened {
  const secrets = loadSecrets();
  const demo = options.demo ?? false;
  const { config, path } = loadConfig(demo ? DEMO_CONFIG : configPath);
  const store = Store.open(demo ? ':memory:' : config.store.path);
  return { workspace: new Workspace(config, store, { demo }), secrets, configPath: path };
}

/** Whether a config file exists at the path. */
export function hasConfig(path: string): boolean {
  return existsSync(path);
}

/**
 * Reload the config file when it changes (or on SIGHUP), as `touchpoint serve` does: a valid edit
 * is applied to the workspace at once; an invalid one keeps the config in force, and the dashboard
 * shows why. Watches the folder, since editors replace the file rather than write into it.
 */
export function watchConfig(configPath: string, workspace: Workspace, log: (line: string) => void): { close(): void } {
  const file = resolve(configPath);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reload = (why: string) => {
    try {
      const { config } = loadConfig(file);
      workspace.reconfigure({ config });
      log(`config reloaded (${why})`);
    } catch (error) {
      const problem = TouchpointError.isTouchpointError(error) ? [error.message, ...error.details].join('; ') : String(error);
      workspace.reconfigure({ problem });
      log(`config not reloaded, the last good one stays in force: ${problem}`);
    }
  };
  const watcher = watch(dirname(file), (_event, name) => {
    if (name !== null && name !== basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => reload('the file changed'), 200);
  });
  const onHup = () => reload('SIGHUP');
  process.on('SIGHUP', onHup);
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
      process.off('SIGHUP', onHup);
    },
  };
}
