// Runs in the empty project that installed @mp/queue from its tarball: plain node, ESM.
import { createRequire } from 'node:module';
import * as context from '@mp/context';
import * as queue from '@mp/queue';

await createRequire(import.meta.url)('./queue-check.cjs')({ ...context, ...queue }, 'esm');
