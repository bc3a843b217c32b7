import fs from 'node:fs';
import { describeError, type Diag } from '../diag';
import { activeIdsSource } from './active-ids';
import { hookConsole } from './console-hooks';

/**
 * Log correlation (LAMBDA_OTEL_LOG_CORRELATION): called right before the user's module loads,
 * when the runtime has installed its `console`. A failure leaves the lines as the runtime writes
 * them and says so once.
 */
export function correlateConsoleLogs(diag: Diag): void {
  try {
    if (!hookConsole({ console, stdout: process.stdout, fs }, activeIdsSource())) {
      diag.debug('log correlation is off: console is not the Lambda runtime client\'s');
    }
  } catch (error) {
    diag.error(`log correlation is off: ${describeError(error)}`);
  }
}
