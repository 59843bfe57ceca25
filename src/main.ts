import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startControlServer } from './cli/control-socket.js';
import type { EdhubConfig } from './generated/config.js';
import { createApp } from './http/app.js';
import type { Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { openRuntime, version } from './runtime.js';

export interface RunningServer {
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * Composition root: config → runtime (lock, database, migrations, keyring, vault) → Express app →
 * listen; in embedded mode also the control socket through which `edhub` commands reach the
 * database this process holds.
 */
export async function startServer(config: EdhubConfig, logger: Logger): Promise<RunningServer> {
  const rt = await openRuntime(config, logger, 'server');
  const app = createApp({
    database: rt.database,
    vault: rt.vault,
    config,
    logger,
    metrics: createMetrics(),
    schemas: rt.schemas,
    now: () => new Date(),
    version,
  });
  const server = app.listen(config.port);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Slow clients may not hold sockets open forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  const port = (server.address() as AddressInfo).port;
  const control = rt.lock ? await startControlServer(rt, logger) : undefined;
  if (control) rt.lock?.update({ controlSocket: control.path });
  logger.info({ port, baseUrl: config.baseUrl, database: rt.database.kind, version }, 'EdHub listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    server,
    close: () =>
      (closing ??= (async () => {
        await control?.close();
        // Graceful: stop accepting, let in-flight requests finish (10 s at most), then close the database.
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), 10_000);
        await drained;
        clearTimeout(timer);
        await rt.close();
      })()),
  };
}
