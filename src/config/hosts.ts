/** Loopback addresses the dashboard may bind to without a token. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The shortest DASHBOARD_TOKEN accepted when the dashboard is open to the network. */
export const MIN_TOKEN_LENGTH = 32;
