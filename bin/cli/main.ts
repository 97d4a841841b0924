import { COMPILED_DECODER_SCRIPT, DecodePool, type Decoder } from '../../lambda/validation';
import { parseCommand, USAGE, UsageError } from './args';
import { runRestore } from './restore-command';
import { runStatus } from './status-command';
import { runValidate, type Output } from './validate-command';

/**
 * The CLI's composition root, as the compiled `statsig-s3` runs it: its decoder processes stop with the last file,
 * so the process exits at once.
 */
export async function main(argv: readonly string[], output: Output): Promise<number> {
  let decoder: DecodePool | undefined;
  try {
    return await runCli(argv, output, (memoryBudgetBytes, decoders) => {
      decoder = new DecodePool({ script: COMPILED_DECODER_SCRIPT, memoryBudgetBytes, size: decoders });
      return decoder;
    });
  } finally {
    await decoder?.close();
  }
}

/** The decoder for the budget and the decoder count the command line gives (`--memory-budget`, `--decoders`). */
export type DecoderFor = (memoryBudgetBytes: number, decoders: number | undefined) => Decoder;

/** The whole CLI as a function of its arguments, streams, decoder and clock, so tests run it in-process too. */
export async function runCli(
  argv: readonly string[],
  output: Output,
  decoderFor: DecoderFor,
  now: () => number = Date.now,
): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.name === 'help') {
      output.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (command.name === 'restore') return await runRestore(command.args, output);
    if (command.name === 'status') return await runStatus(command.args, output, now);
    return await runValidate(
      command.args,
      output,
      decoderFor(command.args.memoryBudgetMb * 1024 * 1024, command.args.decoders),
    );
  } catch (error) {
    if (error instanceof UsageError) {
      output.stderr.write(`statsig-s3: ${error.message}\n\n${USAGE}\n`);
    } else {
      output.stderr.write(`statsig-s3: ${(error as Error).message}\n`);
    }
    return 2;
  }
}
