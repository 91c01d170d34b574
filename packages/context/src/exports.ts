export { AuthenticationError, BufferTooShort, ProcessError, TimeoutError } from '@mp/connection';
export {
  BaseContext,
  type CallableClass,
  type ProcessFactory,
  SpawnProcess,
  ThreadProcess,
  cpuCount,
  DefaultContext,
  defaultContext,
  freezeSupport,
  getAllStartMethods,
  getContext,
  getStartMethod,
  setExecutable,
  setStartMethod,
  SpawnContext,
  ThreadContext,
} from './context.js';
export { activeChildren, currentProcess, parentProcess } from './current.js';
export { ProcessStateError, RuntimeError, ValueError } from './errors.js';
export { local } from './local.js';
export {
  CRITICAL,
  DEBUG,
  ERROR,
  getLogger,
  INFO,
  type LogHandler,
  Logger,
  type LogRecord,
  logToStderr,
  SUBDEBUG,
  SUBWARNING,
  WARNING,
} from './logger.js';
export { Process, type ProcessArgs, type ProcessOptions, type Target } from './process.js';
export { START_METHODS, type StartMethod } from './start-method.js';
