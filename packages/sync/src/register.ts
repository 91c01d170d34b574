/**
 * Side effects of importing @mp/sync: by-value functions sent to children may use these names
 * freely (`Lock`, `Condition`, ...), and every context gets its factories (`ctx.Lock()`).
 */
import { registerLibraryExports } from '@mp/serialize/spi';
import './context.js';
import * as api from './exports.js';

registerLibraryExports(import.meta.url, api);
