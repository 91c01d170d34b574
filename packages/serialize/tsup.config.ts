import { libraryConfig } from '../../tsup.shared.js';

export default libraryConfig({
  entry: ['src/index.ts', 'src/spi.ts'],
  // devalue ships ESM only: bundle it so that the CJS build never require()s an ES module.
  noExternal: ['devalue'],
  // One shared chunk for `.` and `./spi` in both formats (state also lives on globalThis, so two
  // copies would still agree, but one is smaller).
  splitting: true,
});
