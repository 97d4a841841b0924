import { join } from 'node:path';
import { DecodePool, type NodeScript } from '../../lambda/validation';

/**
 * The decoder the tests validate with: the TypeScript sources of the decoder process, loaded through tsx's CommonJS
 * hook (preloaded by its resolved path: a bare `tsx` would resolve from the cwd). Sources rather than the compiled
 * `dist/` worker, so that `npx jest` tests the code as it is now, not as it was at the last build; the compiled worker
 * is what the bundle, CLI and local-run tests start.
 */
export const SOURCE_DECODER_SCRIPT: NodeScript = {
  file: join(__dirname, '..', '..', 'lambda', 'validation', 'worker', 'row-group-worker.ts'),
  execArgv: ['--require', require.resolve('tsx/cjs')],
};

/** A decoder of the sources for one test file, closed after its last test. */
export function suiteDecoder(size?: number): DecodePool {
  const decoder = new DecodePool({ script: SOURCE_DECODER_SCRIPT, size });
  afterAll(() => decoder.close());
  return decoder;
}
