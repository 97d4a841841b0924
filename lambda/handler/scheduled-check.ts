import * as z from '../validation/zod';

/**
 * What the construct's schedule sends the function: evaluate readiness for the bucket. It publishes days whose
 * marker came before the day had ended in UTC−8 (nothing else happens at that moment to trigger them), and is the
 * safety net for any trigger lost on the way.
 */
export interface ScheduledCheck {
  readonly kind: 'readiness-check';
  readonly bucket: string;
}

const scheduledCheckSchema = z.object({ kind: z.literal('readiness-check'), bucket: z.string().check(z.minLength(1)) });

/** The event the schedule delivers; the construct builds its rule's input with this, so both sides agree. */
export function scheduledCheck(bucket: string): ScheduledCheck {
  return { kind: 'readiness-check', bucket };
}

export function parseScheduledCheck(event: unknown): ScheduledCheck | undefined {
  const parsed = scheduledCheckSchema.safeParse(event);
  return parsed.success ? parsed.data : undefined;
}
