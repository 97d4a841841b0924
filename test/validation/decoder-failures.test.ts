import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { byteSourceFromBytes, DecodePool, DecoderUnavailable, validateParquet } from '../../lambda/validation';
import { suiteDecoder } from '../support/decoder';
import { closeDuckDb, writeParquet, writeParquetFile } from '../support/duckdb-parquet';
import { DAY, METRIC, NOW_MS, selectRows } from './support';

/**
 * A broken decoder is no verdict on the file: the Lambda must retry, never quarantine a file that may be fine.
 * Only the file's own faults (a decoder exception, a deadline, a memory bomb) become findings.
 */
describe('when the decoder itself fails', () => {
  const decoder = suiteDecoder();

  afterAll(async () => {
    await closeDuckDb();
  });

  it('throws DecoderUnavailable instead of judging the file, when the decode thread cannot start', async () => {
    const bytes = await writeParquet(selectRows([METRIC]));
    const broken = new DecodePool({ size: 1, script: { file: join(__dirname, 'no-such-worker.js'), execArgv: [] } });
    await expect(
      validateParquet(
        byteSourceFromBytes(bytes),
        { file: 'metrics/x.parquet', dataset: 'metrics', day: DAY, nowMs: NOW_MS },
        broken,
      ),
    ).rejects.toBeInstanceOf(DecoderUnavailable);
    await broken.close();
  });

  it('reads a Node Buffer (a view into a shared pool) as exactly its own bytes', async () => {
    const path = await writeParquetFile(selectRows([METRIC]));
    const buffer = readFileSync(path);
    expect(buffer.buffer.byteLength).not.toBe(buffer.byteLength);
    const report = await validateParquet(
      byteSourceFromBytes(buffer),
      { file: path, dataset: 'metrics', day: DAY, nowMs: NOW_MS },
      decoder,
    );
    expect(report.errors).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.bytesRead).toBe(buffer.byteLength);
  });
});
