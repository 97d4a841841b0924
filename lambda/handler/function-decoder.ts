import { DecodePool, type NodeScript } from '../validation';
import type { ValidatorConfig } from '../wire/config';

const MB = 1024 * 1024;

/** The function's decoder processes: as many as its configuration says, within its memory budget (spec §6). */
export function functionDecoder(
  config: Pick<ValidatorConfig, 'decoders' | 'memoryBudgetMb'>,
  script: NodeScript,
): DecodePool {
  return new DecodePool({ script, size: config.decoders, memoryBudgetBytes: config.memoryBudgetMb * MB });
}
