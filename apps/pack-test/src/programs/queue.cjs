// Runs in the empty project that installed @mp/queue from its tarball: plain node, CommonJS.
'use strict';
require('./queue-check.cjs')({ ...require('@mp/context'), ...require('@mp/queue') }, 'cjs').catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
