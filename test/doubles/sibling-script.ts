import { extname, join } from 'node:path';
import type { NodeScript } from '../../lambda/validation';

/**
 * The script `name` beside the calling module. From compiled JavaScript (the package, the Lambda bundle) that is
 * `name.js`; from TypeScript sources (jest, ts-node) it is `name.ts`, which Node loads through tsx's CommonJS hook,
 * preloaded by its resolved path (a bare `tsx` would resolve from the cwd).
 */
export function siblingScript(callerFilename: string, name: string): NodeScript {
  const extension = extname(callerFilename);
  return {
    file: join(callerFilename, '..', `${name}${extension}`),
    execArgv: extension === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [],
  };
}
