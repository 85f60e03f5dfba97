/** Links from a source are followed only when they are plain web addresses (no `javascript:`). */
export function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url.trim());
}

/**
 * A CSV cell that a spreadsheet would run as a formula (= + - @, tab, carriage return) gets a
 * leading apostrophe (OWASP "CSV injection").
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
