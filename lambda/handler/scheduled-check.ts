import * as z from '../validation/zod';
import type { ScheduledCheck } from '../wire/scheduled-check';

const scheduledCheckSchema = z.object({ kind: z.literal('readiness-check'), bucket: z.string().check(z.minLength(1)) });

/** The construct's hourly readiness check, or undefined for any other event (an SQS batch). */
export function parseScheduledCheck(event: unknown): ScheduledCheck | undefined {
  const parsed = scheduledCheckSchema.safeParse(event);
  return parsed.success ? parsed.data : undefined;
}
