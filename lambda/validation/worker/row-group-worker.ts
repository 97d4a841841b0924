import { decodeGroup, openFile } from './decode-group';
import type { FetchReply, FetchRequest, WorkerTask } from './protocol';

/**
 * The decoder process's entry: it runs tasks the validator sends over IPC, one at a time, asks the validator for
 * any bytes a task needs and was not sent, and tells the validator when it has loaded. It goes when the validator
 * does.
 */
const fetches = new Map<number, { resolve(bytes: ArrayBuffer): void; reject(error: Error): void }>();
let nextFetch = 0;

function fetchBytes(start: number, end: number): Promise<ArrayBuffer> {
  const id = nextFetch++;
  return new Promise((resolve, reject) => {
    fetches.set(id, { resolve, reject });
    const request: FetchRequest = { fetch: { id, start, end } };
    process.send!(request);
  });
}

process.on('message', async (message: { id: number; task: WorkerTask } | FetchReply) => {
  if ('fetched' in message) {
    const waiting = fetches.get(message.fetched.id);
    fetches.delete(message.fetched.id);
    if ('bytes' in message.fetched) waiting?.resolve(message.fetched.bytes);
    else waiting?.reject(new Error(message.fetched.error));
    return;
  }
  const { id, task } = message;
  try {
    const value = task.type === 'open' ? openFile(task) : await decodeGroup(task, fetchBytes);
    process.send!({ id, ok: true, value });
  } catch (error) {
    process.send!({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send!('ready');
