/** The config file every command reads unless told otherwise (kept apart so the CLI starts without loading the schema). */
export const DEFAULT_CONFIG_FILE = 'touchpoint.config.yaml';
