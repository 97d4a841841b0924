import { parentPort } from 'node:worker_threads';
import { decodeGroup, openFile } from './decode-group';
import type { WorkerTask } from './protocol';

/**
 * The worker thread's entry. hyparquet decodes synchronously, and a corrupt page can make it loop forever: only a
 * thread can be stopped from outside, so every decode runs here under the main thread's deadline.
 */
parentPort!.on('message', async ({ id, task }: { id: number; task: WorkerTask }) => {
  try {
    const value = task.type === 'open' ? openFile(task) : await decodeGroup(task);
    const transfer = task.type === 'group' ? transferables((value as { partials: unknown[] }).partials) : [];
    parentPort!.postMessage({ id, ok: true, value }, transfer);
  } catch (error) {
    parentPort!.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});

function transferables(partials: unknown[]): ArrayBuffer[] {
  return partials.filter((partial): partial is Uint32Array => partial instanceof Uint32Array).map((array) => array.buffer as ArrayBuffer);
}
