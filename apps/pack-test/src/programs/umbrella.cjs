// Runs in the empty project that installed multiprocess from its tarball: plain node, CommonJS.
'use strict';
require('./umbrella-check.cjs')(require('multiprocess'), 'cjs').catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
