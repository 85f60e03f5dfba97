/** Links from a source are followed only when they are plain web addresses (no `javascript:`). */
export function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url.trim());
}

/**
 * A CSV cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP "CSV
 * injection"): anything starting with = @ tab or carriage return, and + or - unless the cell is
 * just a signed number with a short unit (`-17 pt`, `+3`), which no spreadsheet runs.
 */
export function neutraliseFormula(value: string): string {
  if (/^[=@\t\r]/.test(value)) return `'${value}`;
  if (/^[+-]/.test(value) && !/^[+-]\d+([.,]\d+)?( ?[a-z%]{1,3})?$/i.test(value)) return `'${value}`;
  return value;
}
