import { z } from 'zod';

/** The keys Statsig reads from an event's `user` object; anything else is kept but unused. */
export const STATSIG_USER_KEYS = [
  'userID',
  'customIDs',
  'email',
  'ip',
  'userAgent',
  'country',
  'locale',
  'appVersion',
  'custom',
  'privateAttributes',
] as const;

const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

/** The `user` object of an event: at least one unit ID Statsig can attribute the event to. */
export const statsigUserShape = z
  .looseObject({
    userID: z.string({ error: 'userID must be a string (write "123", not 123)' }).optional(),
    customIDs: z.record(z.string(), z.string({ error: 'customIDs values must be strings' }), { error: 'customIDs must be an object of strings' }).optional(),
    email: z.string().optional(),
    ip: z.string().optional(),
    userAgent: z.string().optional(),
    country: z.string().optional(),
    locale: z.string().optional(),
    appVersion: z.string().optional(),
    custom: z.record(z.string(), z.unknown(), { error: 'custom must be an object' }).optional(),
    privateAttributes: z.record(z.string(), z.unknown(), { error: 'privateAttributes must be an object' }).optional(),
  })
  .refine((user) => nonEmpty(user.userID) || Object.values(user.customIDs ?? {}).some(nonEmpty), {
    error: 'has no non-empty userID and no non-empty customIDs value, so Statsig cannot attribute the event to a unit',
  });

/** `event_metadata`: a flat object of string values. */
export const eventMetadataValuesShape = z.record(z.string(), z.string());
