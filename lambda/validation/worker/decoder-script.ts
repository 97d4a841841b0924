import { join } from 'node:path';

/** A Node.js script to start in a process of its own, with the flags Node.js needs to load it. */
export interface NodeScript {
  readonly file: string;
  readonly execArgv: readonly string[];
}

/**
 * The decoder process's entry as compiled beside this module: `row-group-worker.js` in tsc's `dist/` and in the
 * Lambda bundle (which inlines this module into `index.js` and names its second entry so). It exists only in
 * compiled code: run from the TypeScript sources, a caller brings its own (the tests' runs the `.ts` file).
 */
export const COMPILED_DECODER_SCRIPT: NodeScript = { file: join(__dirname, 'row-group-worker.js'), execArgv: [] };
