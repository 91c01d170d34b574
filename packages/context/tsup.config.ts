import { libraryConfig } from '../../tsup.shared.js';

export default libraryConfig({
  // The child and broker entries are found at run time next to the bundle (dist/entry/*.js).
  entry: {
    index: 'src/index.ts',
    spi: 'src/spi.ts',
    'entry/child': 'src/entry/child.ts',
    'entry/broker': 'src/entry/broker.ts',
  },
  dts: { entry: { index: 'src/index.ts', spi: 'src/spi.ts' } },
  // One copy of each module in ESM (shared chunks), so index and entries share state.
  splitting: true,
});
