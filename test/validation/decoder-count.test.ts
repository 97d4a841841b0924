import { execFileSync } from 'node:child_process';
import { DecodePool, DecodeFailure } from '../../lambda/validation';
import { SOURCE_DECODER_SCRIPT } from '../support/decoder';

const MB = 1024 * 1024;

/** This process's decoder processes, as the system lists them. */
function runningDecoders(): number {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'row-group-worker'], { encoding: 'utf8' })
      .trim()
      .split('\n').length;
  } catch {
    return 0;
  }
}

/**
 * Spec §6: every decoder needs its least share of the memory budget (192 MB besides the validating process's 256 MB),
 * so a pool starts no more decoders than the budget affords, whatever it is asked for.
 */
describe('how many decoders a pool starts', () => {
  test.each([
    [6, 640, 2],
    [2, 640, 2],
    [4, 448, 1],
    [2, 64, 1],
  ])('asked for %i within %i MB, at most %i', (size, budgetMb, affordable) => {
    expect(new DecodePool({ script: SOURCE_DECODER_SCRIPT, size, memoryBudgetBytes: budgetMb * MB }).size).toBe(
      affordable,
    );
  });

  test('four tasks at once on a pool asked for four within a budget for two run in two decoder processes', async () => {
    // Decoders of pools other test files in this process left idle are not this pool's.
    const before = runningDecoders();
    const pool = new DecodePool({ script: SOURCE_DECODER_SCRIPT, size: 4, memoryBudgetBytes: 640 * MB });
    // An open task whose tail is no parquet footer: each decoder answers it with a decode failure.
    const tasks = Array.from({ length: 4 }, (_, i) =>
      pool.run({ type: 'open', fileKey: `not-parquet-${i}`, tail: new ArrayBuffer(8), footerStart: 0 }, 30_000),
    );
    // The pool has started every decoder it will for these tasks by now: the two it may, the others wait for them.
    expect(runningDecoders() - before).toBe(2);
    for (const task of tasks) await expect(task).rejects.toBeInstanceOf(DecodeFailure);
    await pool.close();
  });
});
