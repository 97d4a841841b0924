import { FILE_RULES, type RuleSpec } from './contracts';
import type { DecodeFailure } from './decoder';
import { findingOf, type RawFinding } from './findings';

/** A problem that ends the file's checks: nothing after it can be trusted. */
export class FileProblem extends Error {
  constructor(public readonly finding: RawFinding) {
    super(finding.problem);
  }
}

export function fileProblem(rule: RuleSpec, problem: string, hint?: string): FileProblem {
  return new FileProblem(findingOf(rule, { problem, hint }));
}

/** The one finding of a file that cannot be read, wherever the reading failed. */
export function corrupt(problem: string): FileProblem {
  return fileProblem(FILE_RULES.corrupt, problem);
}

/** A decode that failed: its deadline passed, or its bytes would not decode. `what` names the part of the file. */
export function undecodable(what: string, failure: DecodeFailure, timeoutMs: number): FileProblem {
  return failure.kind === 'deadline'
    ? fileProblem(FILE_RULES.decodeTimeout, `${what} could not be decoded within ${timeoutMs} ms`)
    : corrupt(`${what} cannot be decoded (${failure.message})`);
}
