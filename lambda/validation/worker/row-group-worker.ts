import { decodeGroup, openFile } from './decode-group';
import type { WorkerTask } from './protocol';

/**
 * The decoder process's entry: it runs tasks the validator sends over IPC, one at a time, and tells the validator
 * when it has loaded. It goes when the validator does.
 */
process.on('message', async ({ id, task }: { id: number; task: WorkerTask }) => {
  try {
    const value = task.type === 'open' ? openFile(task) : await decodeGroup(task);
    process.send!({ id, ok: true, value });
  } catch (error) {
    process.send!({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send!('ready');
