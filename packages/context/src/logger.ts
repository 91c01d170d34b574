/**
 * The package logger of Python's multiprocessing (`get_logger`, `log_to_stderr`), small enough to
 * need no logging library. Levels are Python's numbers.
 */
import { runtime } from './internal/runtime.js';

/**
 * Log level 5 (Python's `multiprocessing.SUBDEBUG`): more detail than DEBUG (multiprocess internals).
 *
 * @example
 * ```ts
 * logToStderr(SUBDEBUG);
 * ```
 */
export const SUBDEBUG = 5;
/**
 * Log level 10 (Python's `multiprocessing.DEBUG`): detail for debugging.
 *
 * @example
 * ```ts
 * logToStderr(DEBUG);
 * ```
 */
export const DEBUG = 10;
/**
 * Log level 20 (Python's `multiprocessing.INFO`): what happens (children started, pools closed).
 *
 * @example
 * ```ts
 * logToStderr(INFO);
 * ```
 */
export const INFO = 20;
/**
 * Log level 25 (Python's `multiprocessing.SUBWARNING`): unusual but handled.
 *
 * @example
 * ```ts
 * logToStderr(SUBWARNING);
 * ```
 */
export const SUBWARNING = 25;
/**
 * Log level 30 (Python's `multiprocessing.WARNING`): something went wrong but the program goes on (the default level).
 *
 * @example
 * ```ts
 * logToStderr(WARNING);
 * ```
 */
export const WARNING = 30;
/**
 * Log level 40 (Python's `multiprocessing.ERROR`): an operation failed.
 *
 * @example
 * ```ts
 * logToStderr(ERROR);
 * ```
 */
export const ERROR = 40;
/**
 * Log level 50 (Python's `multiprocessing.CRITICAL`): the program cannot go on.
 *
 * @example
 * ```ts
 * logToStderr(CRITICAL);
 * ```
 */
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

/**
 * One log event, as a handler receives it.
 *
 * @example
 * ```ts
 * getLogger().addHandler((r: LogRecord) => console.log(`${r.processName}: ${r.levelName} ${r.message}`));
 * ```
 */
export interface LogRecord {
  /** The level number (`INFO` = 20...). */
  readonly level: number;
  /** The level's name: `'INFO'`, `'WARNING'`... (`'Level 42'` for another number). */
  readonly levelName: string;
  /** The name of the process that logged: `'MainProcess'`, `'Process-1'`... */
  readonly processName: string;
  /** The message, its `%s %d %i %r` placeholders filled in. */
  readonly message: string;
}

/**
 * A function that receives each log record the logger lets through.
 *
 * @example
 * ```ts
 * const toFile: LogHandler = (r) => fs.appendFileSync('mp.log', `${r.levelName} ${r.message}\n`);
 * getLogger().addHandler(toFile);
 * ```
 */
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
  /** The logger's name (Python's is `'multiprocessing'`). */
  readonly name = 'multiprocess';
  /** Records below this level are dropped (default `WARNING`). */
  level = WARNING;
  /** Where records go; empty (logging off) until `logToStderr()` or `addHandler()`. */
  readonly handlers: LogHandler[] = [];
  /** Python's logger.propagate; kept for API familiarity. */
  propagate = false;

  /** Drops records below `level`: a number or a name (`'DEBUG'`, `'INFO'`...). */
  setLevel(level: number | keyof typeof LEVELS): void {
    this.level = typeof level === 'number' ? level : LEVELS[level];
  }

  /** The level below which records are dropped. */
  getEffectiveLevel(): number {
    return this.level;
  }

  /** True if a record of `level` would reach a handler (the level passes and a handler exists). */
  isEnabledFor(level: number): boolean {
    return level >= this.level && this.handlers.length > 0;
  }

  /** Sends records to `handler` too (once, however often it is added). */
  addHandler(handler: LogHandler): void {
    if (!this.handlers.includes(handler)) this.handlers.push(handler);
  }

  /** Stops sending records to `handler`. */
  removeHandler(handler: LogHandler): void {
    const index = this.handlers.indexOf(handler);
    if (index >= 0) this.handlers.splice(index, 1);
  }

  /** Logs `message` at `level`, filling `%s %d %i %r` from `args` (`%%` is a percent sign). */
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

  /** Logs at `SUBDEBUG` (see {@link Logger.log}). */
  subdebug(message: string, ...args: unknown[]): void {
    this.log(SUBDEBUG, message, ...args);
  }
  /** Logs at `DEBUG` (see {@link Logger.log}). */
  debug(message: string, ...args: unknown[]): void {
    this.log(DEBUG, message, ...args);
  }
  /** Logs at `INFO` (see {@link Logger.log}). */
  info(message: string, ...args: unknown[]): void {
    this.log(INFO, message, ...args);
  }
  /** Logs at `SUBWARNING` (see {@link Logger.log}). */
  subwarning(message: string, ...args: unknown[]): void {
    this.log(SUBWARNING, message, ...args);
  }
  /** Logs at `WARNING` (see {@link Logger.log}). */
  warning(message: string, ...args: unknown[]): void {
    this.log(WARNING, message, ...args);
  }
  /** Logs at `ERROR` (see {@link Logger.log}). */
  error(message: string, ...args: unknown[]): void {
    this.log(ERROR, message, ...args);
  }
  /** Logs at `CRITICAL` (see {@link Logger.log}). */
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
