import { appendFileSync, writeFileSync } from 'node:fs';
import '../../lambda/validation/worker/row-group-worker';

/**
 * The decoder process's entry, whose tasks never end when DECODER_STALLS is set: the first one keeps its only thread
 * in a synchronous loop, as a decode of hostile bytes might, so that no event (the IPC channel's disconnect
 * included) is ever handled again. It writes its pid to DECODER_PID_FILE when loaded, then " busy" once looping.
 */
const pidFile = process.env.DECODER_PID_FILE!;
writeFileSync(pidFile, String(process.pid));
if (process.env.DECODER_STALLS) {
  process.prependOnceListener('message', () => {
    appendFileSync(pidFile, ' busy');
    for (;;);
  });
}
