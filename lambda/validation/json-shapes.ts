import * as z from './zod';

/** `event_metadata`: a flat object of string values. */
export const eventMetadataValuesShape = z.record(z.string(), z.string());
