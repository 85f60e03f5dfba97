/** The config file every command reads unless told otherwise (kept apart so the CLI starts without loading the schema). */
export const DEFAULT_CONFIG_FILE = 'touchpoint.config.yaml';

/** Quotes the exec digest forwards unless the config says otherwise (here, not in the schema: the metrics worker reads it without loading zod). */
export const EXEC_DIGEST_NUGGETS = 5;
