import { describeReadiness, type ReadinessDescription, type ReadinessSettings } from '../../lambda/readiness/describe';
import { s3BucketView } from '../../lambda/readiness/bucket-view';
import { CONFIG_DEFAULTS } from '../../lambda/wire/config';
import type { StatusArgs } from './args';
import { formatStatus, statusJson } from './status-format';
import { cliS3Client, toldRetries } from './s3-client';
import { parseS3Uri } from './s3-location';
import type { Output } from './validate-command';

/**
 * Why days are or are not published, as the function would decide now: the description readiness itself decides
 * from, read from the bucket and changing nothing. Resolves to the exit code: 1 when a day waits past its grace
 * period (what the function alerts on), else 0, so a scheduler can run it as a check.
 */
export async function runStatus(args: StatusArgs, output: Output, now: () => number): Promise<number> {
  const { bucket } = parseS3Uri(args.uri);
  const s3 = cliS3Client(args, toldRetries(output.stderr));
  try {
    const settings: ReadinessSettings = {
      datasets: args.datasets,
      readiness: { mode: args.readinessMode },
      statePrefix: CONFIG_DEFAULTS.statePrefix,
      quarantinePrefix: CONFIG_DEFAULTS.quarantinePrefix,
      readinessStartDay: args.readinessStartDay,
      readinessGracePeriodHours: args.readinessGracePeriodHours,
    };
    const nowMs = now();
    const description = await describeReadiness(s3BucketView(s3, bucket), nowMs, settings, { includeOutside: true });
    output.stdout.write(
      args.json ? `${JSON.stringify(statusJson(description, nowMs), null, 2)}\n` : formatStatus(description, nowMs),
    );
    return stalled(description) ? 1 : 0;
  } finally {
    s3.destroy();
  }
}

const stalled = (description: ReadinessDescription) =>
  description.targets.some((target) => target.waiting.some((wait) => wait.stalled));
