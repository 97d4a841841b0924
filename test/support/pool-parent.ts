import { DecodePool } from '../../lambda/validation';
import { siblingScript } from '../doubles/sibling-script';

/**
 * A validating process in miniature, for the tests that kill it: a pool of one stalling decoder (stalling-decoder.ts)
 * given one task, an open of a tail that is no parquet footer. It stays alive until killed.
 */
const settled = () => process.send?.('settled');
const pool = new DecodePool({ script: siblingScript(__filename, 'stalling-decoder'), size: 1 });
void pool
  .run({ type: 'open', fileKey: 'not-parquet', tail: new ArrayBuffer(8), footerStart: 0 }, 600_000)
  .then(settled, settled);
setInterval(() => undefined, 60_000);
