import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load.js';
import { loadSecrets, type Secrets } from '../config/env.js';
import { Store } from '../store/store.js';
import { Workspace } from './workspace.js';

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
