import { decodeGroup, openFile } from './decode-group';
import { loadLibzstd } from './libzstd';
import { OverBudget } from './memory-budget';
import { exitWithParent } from './parent-watch';
import type { FetchReply, FetchRequest, TaskMessage, WorkerReply } from './protocol';

/**
 * The decoder process's entry: it runs tasks the validator sends over IPC, one at a time, asks the validator for
 * any bytes a task needs and was not sent, and tells the validator when it has loaded. It goes when the validator
 * does: at once when idle (the channel's disconnect), within a watch interval when busy (parent-watch.ts).
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

process.on('message', async (message: TaskMessage | FetchReply) => {
  if ('fetched' in message) {
    const waiting = fetches.get(message.fetched.id);
    fetches.delete(message.fetched.id);
    if ('bytes' in message.fetched) waiting?.resolve(message.fetched.bytes);
    else waiting?.reject(new Error(message.fetched.error));
    return;
  }
  const { id, task } = message;
  let reply: WorkerReply;
  try {
    reply = { id, ok: true, value: task.type === 'open' ? openFile(task) : await decodeGroup(task, fetchBytes) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply = { id, ok: false, error: message, overBudget: error instanceof OverBudget };
  }
  process.send!(reply);
});
process.on('disconnect', () => process.exit(0));
exitWithParent();
// A decoder that cannot load libzstd dies of the rejection, and the validator reports its stderr.
void loadLibzstd().then(() => process.send!('ready'));
