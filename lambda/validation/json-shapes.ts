import * as z from './zod';

const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

/** The `user` object of an event: at least one unit ID Statsig can attribute the event to. */
export const statsigUserShape = z
  .looseObject({
    userID: z.optional(z.string({ error: 'userID must be a string (write "123", not 123)' })),
    customIDs: z.optional(
      z.record(z.string(), z.string({ error: 'customIDs values must be strings' }), {
        error: 'customIDs must be an object of strings',
      }),
    ),
    email: z.optional(z.string()),
    ip: z.optional(z.string()),
    userAgent: z.optional(z.string()),
    country: z.optional(z.string()),
    locale: z.optional(z.string()),
    appVersion: z.optional(z.string()),
    custom: z.optional(z.record(z.string(), z.unknown(), { error: 'custom must be an object' })),
    privateAttributes: z.optional(z.record(z.string(), z.unknown(), { error: 'privateAttributes must be an object' })),
  })
  .check(
    z.refine((user) => nonEmpty(user.userID) || Object.values(user.customIDs ?? {}).some(nonEmpty), {
      error:
        'has no non-empty userID and no non-empty customIDs value, so Statsig cannot attribute the event to a unit',
    }),
  );

/** `event_metadata`: a flat object of string values. */
export const eventMetadataValuesShape = z.record(z.string(), z.string());
