/**
 * `@mp/manager`: managers for multiprocess: a server process holding shared objects (lists,
 * dicts, namespaces, queues, locks, user types), proxies that reach them from any process, and
 * managers served at a TCP address with an authkey.
 */
import './register.js';

export * from './exports.js';
