// Creates a package folder with the house layout. Usage: node scripts/scaffold.mjs <dir> <name> "<description>" [dep ...]
import fs from 'node:fs';
import path from 'node:path';
const [dir, name, description, ...deps] = process.argv.slice(2);
const root = path.resolve(import.meta.dirname, '..');
const pkgDir = path.join(root, dir);
fs.mkdirSync(path.join(pkgDir, 'src'), { recursive: true });
fs.mkdirSync(path.join(pkgDir, 'test'), { recursive: true });
const write = (file, text) => { const p = path.join(pkgDir, file); if (!fs.existsSync(p)) fs.writeFileSync(p, text); };
const pkg = {
  name,
  version: '0.1.0',
  description,
  license: 'BSD-3-Clause',
  type: 'module',
  // true: a module that registers anything at import time (registerClass, registerReducer,
  // registerSharedClass, defineContextMethods, registerLibraryExports) must not be tree-shaken away.
  sideEffects: true,
  engines: { node: '>=20' },
  files: ['dist', 'README.md'],
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.ts',
  exports: {
    '.': {
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  scripts: {
    build: 'tsup',
    typecheck: 'tsc -p tsconfig.json',
    test: 'vitest run',
    prepack: 'rm -rf dist && tsup',
  },
  dependencies: Object.fromEntries(deps.map((d) => [d, '^0.1.0'])),
  repository: { type: 'git', url: 'git+https://github.com/multiprocess-ts/multiprocess.git', directory: dir },
};
write('package.json', JSON.stringify(pkg, null, 2) + '\n');
write('tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src', 'test', '*.ts'] }, null, 2) + '\n');
write('tsup.config.ts', `import { libraryConfig } from '../../tsup.shared.js';

export default libraryConfig({ entry: ['src/index.ts'] });
`);
write('vitest.config.ts', `export { default } from '../../vitest.shared.js';
`);
write('src/index.ts', `export {};\n`);
write('README.md', `# ${name}\n\n${description}\n`);
// npm packs a LICENSE found in the package folder (scripts/check-packages.mjs checks it is the root's).
write('LICENSE', fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'));
console.log('scaffolded', name);
