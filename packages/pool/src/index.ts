import { registerLibraryExports } from '@mp/serialize/spi';
import './context-methods.js';
import * as api from './exports.js';

export * from './exports.js';

// By-value task functions may use these names freely (`taskSignal()`, `Pool` in a child...).
registerLibraryExports(import.meta.url, api);
