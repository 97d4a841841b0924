/** The units an integer event `timestamp` may be in; a construct prop and a CLI flag choose one. */
export const TIMESTAMP_UNITS = ['seconds', 'milliseconds'] as const;
export type TimestampUnit = (typeof TIMESTAMP_UNITS)[number];

/** Statsig's built-in ID types; a project adds its own custom ones. */
export const DEFAULT_ID_TYPES = ['user_id', 'stable_id'] as const;
