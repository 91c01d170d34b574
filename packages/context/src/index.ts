import { registerLibraryExports } from '@mp/serialize/spi';
import * as api from './exports.js';

export * from './exports.js';

// By-value functions sent to children may use these names freely (as dill provides modules).
registerLibraryExports(import.meta.url, api);
