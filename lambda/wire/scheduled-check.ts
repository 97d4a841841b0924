/**
 * What the construct's schedule sends the function: evaluate readiness for the bucket. It publishes days whose
 * marker came before the day had ended in UTC−8 (nothing else happens at that moment to trigger them), and is the
 * safety net for any trigger lost on the way.
 */
export interface ScheduledCheck {
  readonly kind: 'readiness-check';
  readonly bucket: string;
}

/** The event the schedule delivers; the construct builds its rule's input with this, so both sides agree. */
export function scheduledCheck(bucket: string): ScheduledCheck {
  return { kind: 'readiness-check', bucket };
}
