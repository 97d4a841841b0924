import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { S3Client } from '@aws-sdk/client-s3';
import { siblingScript } from './sibling-script';

/** A real S3-compatible server (s3rver) on 127.0.0.1, on a free port, with its data in a scratch folder. */
export interface S3Server {
  readonly endpoint: string;
  readonly port: number;
  /** A client for the test's own setup and checks, talking to the server directly (no fault injection). */
  client(): S3Client;
  /**
   * Moves the server's clock forward: objects written from now on get a LastModified that much later. S3 lists times
   * to the second, so this is how a test gets "a later second" without sleeping through one.
   */
  advanceClock(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Client settings every test client needs against s3rver: path-style, and no streaming checksums it cannot verify. */
export function s3ClientOptions(endpoint: string) {
  return {
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  } as const;
}

/**
 * Starts s3rver with the given buckets. Its data lives in `directory` when given (and is kept), else in a scratch
 * folder removed on stop.
 */
export async function startS3Server(buckets: string[], keepIn?: string): Promise<S3Server> {
  const directory = keepIn ?? mkdtempSync(join(tmpdir(), 's3rver-'));
  const script = siblingScript(__filename, 's3rver-process');
  const child = spawn(
    process.execPath,
    [...script.execArgv, '--openssl-legacy-provider', script.file, directory, ...buckets],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const port = await readPort(child, () => stderr);
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  return {
    endpoint,
    port,
    client() {
      const client = new S3Client(s3ClientOptions(endpoint));
      clients.push(client);
      return client;
    },
    advanceClock(ms) {
      return new Promise((resolve) => {
        child.once('message', () => resolve());
        child.send({ advanceClockMs: ms });
      });
    },
    async stop() {
      clients.forEach((client) => client.destroy());
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      if (!keepIn) rmSync(directory, { recursive: true, force: true });
    },
  };
}

function readPort(child: ChildProcess, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => fail(new Error('s3rver did not start within 15 s')), 15_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      lines.close();
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`s3rver exited with ${code}: ${stderr()}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      child.removeAllListeners('exit');
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
}
