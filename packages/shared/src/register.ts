/**
 * Side effects of importing @mp/shared: by-value functions sent to children may use these names
 * freely (`Value`, `SharedArray`, `RawArray`...), typed arrays over shared values cross as views,
 * and every context gets its factories (`ctx.Value()`, `ctx.Array()`...).
 */
import { registerLibraryExports } from '@mp/serialize/spi';
import './context.js';
import './internal/view-codec.js';
import * as api from './exports.js';

registerLibraryExports(import.meta.url, api);
