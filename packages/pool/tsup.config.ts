import { libraryConfig } from '../../tsup.shared.js';

export default libraryConfig({
  // The worker entry is found at run time next to the bundle (dist/entry/worker.js).
  entry: {
    index: 'src/index.ts',
    'entry/worker': 'src/entry/worker.ts',
  },
  dts: { entry: { index: 'src/index.ts' } },
  // One copy of each module in ESM (shared chunks), so index and the worker entry share state.
  splitting: true,
});
