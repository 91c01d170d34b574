/**
 * The package logger of Python's multiprocessing (`get_logger`, `log_to_stderr`), small enough to
 * need no logging library. Levels are Python's numbers.
 */
import { runtime } from './internal/runtime.js';

export const SUBDEBUG = 5;
export const DEBUG = 10;
export const INFO = 20;
export const SUBWARNING = 25;
export const WARNING = 30;
export const ERROR = 40;
export const CRITICAL = 50;

const LEVEL_NAMES: Record<number, string> = {
  [SUBDEBUG]: 'SUBDEBUG',
  [DEBUG]: 'DEBUG',
  [INFO]: 'INFO',
  [SUBWARNING]: 'SUBWARNING',
  [WARNING]: 'WARNING',
  [ERROR]: 'ERROR',
  [CRITICAL]: 'CRITICAL',
};

/** One log event, as a handler receives it. */
export interface LogRecord {
  readonly level: number;
  readonly levelName: string;
  readonly processName: string;
  readonly message: string;
}

export type LogHandler = (record: LogRecord) => void;

/** The default format of `logToStderr`: `[LEVEL/ProcessName] message`. */
export const DEFAULT_FORMAT = (record: LogRecord): string => `[${record.levelName}/${record.processName}] ${record.message}`;

/**
 * The multiprocess logger. Disabled until a handler is added (by `logToStderr` or yourself).
 *
 * @example
 * ```ts
 * const log = getLogger();
 * log.setLevel(INFO);
 * log.addHandler((r) => myLogger.info(r.message));
 * log.info('started %d workers', 4);
 * ```
 */
export class Logger {
  readonly name = 'multiprocess';
  level = WARNING;
  readonly handlers: LogHandler[] = [];
  /** Python's logger.propagate; kept for API familiarity. */
  propagate = false;

  setLevel(level: number | keyof typeof LEVELS): void {
    this.level = typeof level === 'number' ? level : LEVELS[level];
  }

  getEffectiveLevel(): number {
    return this.level;
  }

  isEnabledFor(level: number): boolean {
    return level >= this.level && this.handlers.length > 0;
  }

  addHandler(handler: LogHandler): void {
    if (!this.handlers.includes(handler)) this.handlers.push(handler);
  }

  removeHandler(handler: LogHandler): void {
    const index = this.handlers.indexOf(handler);
    if (index >= 0) this.handlers.splice(index, 1);
  }

  log(level: number, message: string, ...args: unknown[]): void {
    if (!this.isEnabledFor(level)) return;
    const record: LogRecord = {
      level,
      levelName: LEVEL_NAMES[level] ?? `Level ${level}`,
      processName: runtime().self.name,
      message: format(message, args),
    };
    for (const handler of this.handlers) handler(record);
  }

  subdebug(message: string, ...args: unknown[]): void {
    this.log(SUBDEBUG, message, ...args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.log(DEBUG, message, ...args);
  }
  info(message: string, ...args: unknown[]): void {
    this.log(INFO, message, ...args);
  }
  subwarning(message: string, ...args: unknown[]): void {
    this.log(SUBWARNING, message, ...args);
  }
  warning(message: string, ...args: unknown[]): void {
    this.log(WARNING, message, ...args);
  }
  error(message: string, ...args: unknown[]): void {
    this.log(ERROR, message, ...args);
  }
  critical(message: string, ...args: unknown[]): void {
    this.log(CRITICAL, message, ...args);
  }
}

const LEVELS = { SUBDEBUG, DEBUG, INFO, SUBWARNING, WARNING, ERROR, CRITICAL } as const;

/** Python's %-formatting for the common cases: %s %d %i %r %%. */
function format(message: string, args: unknown[]): string {
  if (args.length === 0) return message;
  let i = 0;
  return message.replace(/%[sdir%]/g, (token) => {
    if (token === '%%') return '%';
    const value = args[i++];
    if (token === '%d' || token === '%i') return String(Math.trunc(Number(value)));
    if (token === '%r') return typeof value === 'string' ? `'${value}'` : String(value);
    return String(value);
  });
}

const KEY = Symbol.for('@mp/context.logger');
type Holder = typeof globalThis & { [KEY]?: { logger: Logger; stderr: LogHandler | null } };

function state(): { logger: Logger; stderr: LogHandler | null } {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= { logger: new Logger(), stderr: null });
}

/**
 * The logger used by multiprocess (Python's `get_logger()`).
 *
 * @example
 * ```ts
 * getLogger().addHandler((r) => console.log(r.levelName, r.message));
 * ```
 */
export function getLogger(): Logger {
  return state().logger;
}

/**
 * Turns logging on and prints to stderr as `[LEVEL/ProcessName] message` (Python's
 * `log_to_stderr`). Returns the logger.
 *
 * @example
 * ```ts
 * logToStderr(INFO).info('hello'); // [INFO/MainProcess] hello
 * ```
 */
export function logToStderr(level?: number): Logger {
  const s = state();
  if (s.stderr === null) {
    s.stderr = (record) => process.stderr.write(`${DEFAULT_FORMAT(record)}\n`);
    s.logger.addHandler(s.stderr);
  }
  if (level !== undefined) s.logger.setLevel(level);
  return s.logger;
}
