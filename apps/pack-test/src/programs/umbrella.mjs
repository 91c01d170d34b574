// Runs in the empty project that installed multiprocess from its tarball: plain node, ESM.
import { createRequire } from 'node:module';
import * as multiprocess from 'multiprocess';

await createRequire(import.meta.url)('./umbrella-check.cjs')(multiprocess, 'esm');
