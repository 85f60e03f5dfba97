import type { Server } from 'node:http';
import type express from 'express';
import { TouchpointError } from '../errors.js';

/** Loopback addresses the dashboard may bind to without a token. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Listen, refusing any non-loopback interface unless a token protects the dashboard. */
export function listen(app: express.Express, options: { host: string; port: number; token: string | null }): Promise<Server> {
  if (!isLoopback(options.host) && options.token === null) {
    return Promise.reject(
      new TouchpointError(
        'dashboard_unsafe',
        `Refusing to listen on ${options.host}: the dashboard would be open to the network. Set DASHBOARD_TOKEN in the environment (or .env), or bind to 127.0.0.1.`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port, options.host, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.once('error', reject);
  });
}
