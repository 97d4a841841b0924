/**
 * Runs s3rver in its own process. Its paginated listing needs OpenSSL's legacy provider, which only a process flag
 * turns on, and a separate process keeps s3rver's handles out of the caller's. Prints the bound port as one JSON line;
 * over the IPC channel, `{ advanceClockMs }` moves the clock that stamps objects' LastModified, and is acknowledged.
 */
import S3rver from 's3rver';
import { repairStore } from './s3rver-store';

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  // The tests' fault proxy rewrites x-amz-copy-source (see test/support/fault-proxy.ts), which invalidates the
  // request's signature.
  allowMismatchedSignatures: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name })),
});

let clockOffsetMs = 0;
repairStore(server.store, () => new Date(Date.now() + clockOffsetMs));
process.on('message', (message: { advanceClockMs: number }) => {
  clockOffsetMs += message.advanceClockMs;
  process.send?.({ clockOffsetMs });
});

server.run().then(
  (address) => process.stdout.write(`${JSON.stringify({ port: address.port })}\n`),
  (error: Error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
