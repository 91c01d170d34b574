/**
 * Building blocks for the other multiprocess packages: shared objects (segments in the root
 * process, local or through the broker), caller identity and liveness, context extension.
 * Public and semver-covered, but aimed at package authors rather than applications.
 *
 * @module \@mp/context/spi
 */
export {
  type Caller,
  callerSignal,
  callInBroker,
  inBroker,
  sendToBroker,
  callerToken,
  createHandle,
  type Handle,
  isTokenAlive,
  type LocalHandle,
  registerRootObject,
  registerSharedClass,
  type RemoteHandle,
  type SharedKind,
  takeAttaching,
  withAttaching,
} from './internal/shared-object.js';
export { contextMethod, defineContextMethods } from './context.js';
export { inRootProcess, runtime, type ProcessInfo, type Runtime, type StartMethod } from './internal/runtime.js';
export { remoteClient, type RemoteClient, type RequestBody, BrokerUnavailableError } from './internal/broker/client.js';
export { Deadline, holdLoop, notify, releaseLoop, SPIN, waitAsync, waitSync, type WaitResult } from './internal/futex.js';
export { isJsonExact } from './internal/broker/wire.js';
