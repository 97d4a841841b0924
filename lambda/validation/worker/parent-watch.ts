import { Worker } from 'node:worker_threads';

/** How often the watch looks for the parent: the longest an orphaned decoder lives on. */
export const PARENT_CHECK_MS = 500;

/**
 * The watch's thread. It reads the parent pid afresh each time: once the parent is gone the process has been handed
 * to another (init or a subreaper), and the decoder kills itself, whatever its own thread is doing.
 */
const WATCH_SOURCE = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.parent) process.kill(workerData.self, 'SIGKILL');
}, workerData.everyMs);
`;

/**
 * Makes this process end when its parent does. The IPC channel's 'disconnect' only reaches the event loop, which a
 * decoder busy in a long synchronous decode does not turn; and the deadline that would stop such a decode lives in
 * the parent, gone with it. So a thread of its own watches the parent: about 9 MB, and it never keeps the process
 * alive on its own.
 */
export function exitWithParent(): void {
  const watch = new Worker(WATCH_SOURCE, {
    eval: true,
    workerData: { parent: process.ppid, self: process.pid, everyMs: PARENT_CHECK_MS },
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
    stdout: false,
    stderr: false,
  });
  watch.unref();
}
