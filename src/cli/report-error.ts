import { hasCode } from '../core/errors.ts';

/** Prints an error for a person and returns the exit code: 2 for bad input, 1 otherwise. */
export function reportError(error: unknown): number {
  if (hasCode(error, 'validation')) {
    console.error(`anchorage: invalid input: ${error.message}`);
    return 2;
  }
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    console.error(`anchorage: ${error.code}: ${error.message}`);
    return 1;
  }
  console.error(`anchorage: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
}
