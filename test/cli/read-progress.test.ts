import { withReadProgress } from '../../bin/cli/read-progress';

/** A large file tells how far its read has come, once per 64 MiB, and reads through unchanged. */
it('tells each further 64 MiB read, with the file size, and passes the bytes through', async () => {
  const MIB = 1024 * 1024;
  const told: string[] = [];
  let closed = false;
  const source = withReadProgress(
    {
      byteLength: 200 * MIB,
      slice: async (start, end) => new Uint8Array(end - start).fill(start % 251).buffer,
      close: async () => {
        closed = true;
      },
    },
    (line) => told.push(line),
  );
  const first = await source.slice(0, 40 * MIB);
  expect(told).toEqual([]);
  await source.slice(40 * MIB, 70 * MIB);
  await source.slice(70 * MIB, 100 * MIB);
  await source.slice(100 * MIB, 140 * MIB);
  expect(told).toEqual(['  … 73.4 of 209.7 MB read', '  … 146.8 of 209.7 MB read']);
  expect(first.byteLength).toBe(40 * MIB);
  expect(source.byteLength).toBe(200 * MIB);
  await source.close();
  expect(closed).toBe(true);
});
