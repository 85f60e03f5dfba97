/** touchpoint's version, as `--version`, the OpenAPI document and the User-Agent say it. */
export const VERSION = '0.1.0';
