/**
 * Process log: one line per event on stderr, with time, level and scope. Never pass secrets here;
 * keys and tokens are redacted by the callers that hold them.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  child(scope: string): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(
  scope = 'trm',
  minLevel: LogLevel = (process.env.TRM_LOG_LEVEL as LogLevel | undefined) ?? 'info',
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  const at = (level: LogLevel) => (message: string) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message}`);
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (child) => createLogger(`${scope}:${child}`, minLevel, write),
  };
}

/** A logger that keeps lines in memory (tests assert on what was logged). */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger('test', 'debug', (line) => lines.push(line));
  return Object.assign(logger, { lines });
}
