import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PARENT_CHECK_MS } from '../../lambda/validation/worker/parent-watch';

/** How long a decoder may outlive its parent: a few watch intervals, for a loaded machine. */
const ORPHAN_BOUND_MS = 10 * PARENT_CHECK_MS;
/** How long starting a parent and its decoder (both through tsx) may take. */
const START_BOUND_MS = 30_000;
const POLL_MS = 50;
/** The parent, run from its TypeScript source like the tests' decoders (test/support/decoder.ts). */
const PARENT_SCRIPT = join(__dirname, '..', 'support', 'pool-parent.ts');

/** Waits until `condition` holds, checking every POLL_MS; fails after `boundMs`. */
async function until(condition: () => boolean, boundMs: number, what: string): Promise<void> {
  const giveUp = Date.now() + boundMs;
  while (!condition()) {
    if (Date.now() > giveUp) throw new Error(`${what}: not within ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Whether `pid` has exited: no such process, or a zombie its new parent has not reaped yet. */
function exited(pid: number): boolean {
  try {
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .startsWith('Z');
  } catch {
    return true;
  }
}

/**
 * A decoder must not outlive the validating process: one SIGKILLed (a Lambda's runtime reset, the fuzz's watchdog)
 * has no chance to stop its decoders, and an orphan busy in an endless decode would spin on for good.
 */
describe('a decoder whose validating process is killed', () => {
  let scratch: string;
  let parent: ChildProcess | undefined;
  let decoderPid: number | undefined;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'orphan-decoders-'));
    parent = undefined;
    decoderPid = undefined;
  });

  afterEach(() => {
    parent?.kill('SIGKILL');
    // A decoder this test failed to see go is stopped here, so that a failure leaves no orphan behind either.
    if (decoderPid !== undefined && !exited(decoderPid)) process.kill(decoderPid, 'SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  test.each([
    ['idle, after its task', false],
    ['busy in a synchronous decode that never ends', true],
  ])('exits when %s', async (_state, stalls) => {
    const pidFile = join(scratch, 'decoder.pid');
    const settled = new Promise<void>((resolve) => {
      parent = fork(PARENT_SCRIPT, [], {
        execArgv: ['--require', require.resolve('tsx/cjs')],
        env: { ...process.env, DECODER_PID_FILE: pidFile, DECODER_STALLS: stalls ? '1' : '' },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      parent.on('message', () => resolve());
    });
    const state = () => {
      try {
        return readFileSync(pidFile, 'utf8').split(' ');
      } catch {
        return [];
      }
    };
    if (stalls) await until(() => state()[1] === 'busy', START_BOUND_MS, 'the decoder busy');
    else await settled;
    decoderPid = Number(state()[0]);
    expect(exited(decoderPid)).toBe(false);

    parent!.kill('SIGKILL');
    await until(() => exited(decoderPid!), ORPHAN_BOUND_MS, `decoder ${decoderPid} gone after its parent`);
  });
});
