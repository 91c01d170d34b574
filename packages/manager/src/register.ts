/**
 * Side effects of importing @mp/manager: proxies serialize as live references (the proxy
 * codec), by-value functions sent to children may use this package's names (`Manager`,
 * `ListProxy`, ...), and the server process's entry is reachable by reference.
 */
import { registerClass } from '@mp/serialize';
import { registerLibraryExports } from '@mp/serialize/spi';
import { RemoteError } from './errors.js';
import * as api from './exports.js';
import './internal/proxy-codec.js';
import { runManagerServer } from './internal/server-main.js';

registerClass(RemoteError, 'mp.manager.RemoteError');
registerLibraryExports(import.meta.url, { ...api, __mpManagerServer: runManagerServer });
