/**
 * s3rver in a child process of its own.
 *
 * Why a child and not in-process: s3rver encrypts list continuation tokens with DES, which Node 24's
 * OpenSSL only offers with `--openssl-legacy-provider`. The integration tests' global setup runs inside
 * vitest's main process, whose flags we do not control; a child started with the flag works everywhere.
 * It also keeps s3rver's Koa stack and logging out of the process that runs the handlers.
 *
 * Started by `local/services.ts` with an IPC channel. It runs on Node's built-in type stripping (no tsx,
 * so it starts in ~0.3 s), hence only erasable TypeScript and no project import aliases here.
 *
 * Protocol: the child sends `{ type: 'ready', port }` once listening, or `{ type: 'error', message }`.
 * It exits when the parent disconnects (the parent died, even by SIGKILL) or on SIGTERM/SIGINT, so it
 * can never be orphaned.
 */
import S3rver from 's3rver';
import { defaultRetentionDaysFromEnv, installS3rverExtensions } from './s3rver-extensions.ts';

const directory = process.env.S3RVER_DIRECTORY;
const address = process.env.S3RVER_ADDRESS ?? '127.0.0.1';

function send(message: { type: 'ready'; port: number } | { type: 'error'; message: string }): void {
  if (process.send) process.send(message);
}

async function main(): Promise<void> {
  if (!directory) throw new Error('S3RVER_DIRECTORY is not set');
  const server = new S3rver({
    address,
    port: 0,
    silent: true,
    directory,
    // The SDK signs with SigV4, which s3rver does not verify; the access key must still be `S3RVER`.
    allowMismatchedSignatures: false,
    // Path-style only: virtual-host buckets would need DNS for `<bucket>.localhost`.
    vhostBuckets: false,
  });
  // ListParts, AbortMultipartUpload, Object Lock and event subscriptions: see s3rver-extensions.ts.
  installS3rverExtensions(server, {
    defaultRetentionDays: defaultRetentionDaysFromEnv(process.env.S3RVER_DEFAULT_RETENTION_DAYS),
  });
  const info = await server.run();

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    // Give in-flight requests a moment, but never hang the parent's shutdown on a stuck socket.
    const force = setTimeout(() => process.exit(0), 2000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('disconnect', shutdown);

  send({ type: 'ready', port: info.port });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
