import type { LogLevel } from './config/load';
import { LAYER_NAME } from './layer-files';

/** Every line the layer itself prints starts with this, so users can grep and filter it. */
export const DIAG_PREFIX = `[${LAYER_NAME}]`;

const RANK: Record<LogLevel, number> = { none: 0, error: 1, warn: 2, info: 3, debug: 4, verbose: 5, all: 6 };

export interface Diag {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  /** Reports a message at most once per process, keyed by `key`: for failures that repeat per invocation. */
  once(key: string, level: 'error' | 'warn' | 'info', message: string): void;
  readonly level: LogLevel;
}

export type Sink = (line: string) => void;

/**
 * Writes straight to stderr rather than through `console`, which the runtime patches to prefix
 * request ids and levels: our lines are about the layer, not about an invocation.
 */
const stderrSink: Sink = (line) => {
  process.stderr.write(line + '\n');
};

export function createDiag(level: LogLevel, sink: Sink = stderrSink): Diag {
  const rank = RANK[level];
  const seen = new Set<string>();
  const emit = (at: Exclude<LogLevel, 'none' | 'all' | 'verbose'>, message: string): void => {
    if (RANK[at] <= rank) sink(`${DIAG_PREFIX} ${at.toUpperCase()} ${message}`);
  };
  return {
    level,
    error: (message) => emit('error', message),
    warn: (message) => emit('warn', message),
    info: (message) => emit('info', message),
    debug: (message) => emit('debug', message),
    once(key, at, message) {
      if (seen.has(key)) return;
      seen.add(key);
      emit(at, message);
    },
  };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
