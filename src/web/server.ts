import type { Server } from 'node:http';
import type express from 'express';
import { TouchpointError } from '../errors.js';

import { isLoopback } from '../config/hosts.js';
import { MIN_TOKEN_LENGTH } from './auth.js';

export { isLoopback } from '../config/hosts.js';

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
  if (!isLoopback(options.host) && options.token !== null && options.token.length < MIN_TOKEN_LENGTH) {
    return Promise.reject(
      new TouchpointError(
        'dashboard_unsafe',
        `Refusing to listen on ${options.host}: DASHBOARD_TOKEN has ${options.token.length} characters; open to the network it needs at least ${MIN_TOKEN_LENGTH} (e.g. \`openssl rand -base64 32\`).`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(bindError(error, options.host, options.port));
    const server = app.listen(options.port, options.host, (error?: Error) => (error ? fail(error) : resolve(server)));
    server.once('error', fail);
  });
}

/** A port in use or an address that cannot be bound is one line that says what to do. */
function bindError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE')
    return new TouchpointError(
      'dashboard_unsafe',
      `port ${port} is in use on ${host}; stop what runs there, or pick another with --port (or dashboard.port).`,
      [],
      { cause: error },
    );
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'EACCES') {
    return new TouchpointError(
      'dashboard_unsafe',
      `cannot listen on ${host}:${port} (${error.code}); use another --host or --port (ports below 1024 need privileges).`,
      [],
      { cause: error },
    );
  }
  return error;
}
