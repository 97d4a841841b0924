import { shutdownValidator } from '../../lambda/validation';
import { parseCommand, USAGE, UsageError } from './args';
import { runValidate, type Output } from './validate-command';

/** The whole CLI as a function of its arguments and streams, so tests run it in-process too. */
export async function main(argv: readonly string[], output: Output): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.name === 'help') {
      output.stdout.write(`${USAGE}\n`);
      return 0;
    }
    return await runValidate(command.args, output);
  } catch (error) {
    if (error instanceof UsageError) {
      output.stderr.write(`statsig-s3: ${error.message}\n\n${USAGE}\n`);
    } else {
      output.stderr.write(`statsig-s3: ${(error as Error).message}\n`);
    }
    return 2;
  } finally {
    await shutdownValidator();
  }
}
