// Compiles src/ ahead of time into dist/ (one JavaScript file per TypeScript file, the same folders,
// so every path read relative to import.meta.url, and every worker file, is found from dist/ as from
// src/; other files of src/, such as the portal's CSS, are copied). esbuild only strips the types:
// `npm run typecheck` checks them. Run by `npm ci` (prepare), `npm start` (prestart) and bin/jcm
// whenever dist/ is missing or older than the sources, never by hand; `node scripts/build.mjs --force`
// rebuilds regardless. Concurrent builds are safe: each file is written to a temporary name and
// renamed, and the stamp (the hash of every source) is written last.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src');
export const distDir = join(root, 'dist');
const stampFile = join(distDir, '.source-hash');

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(srcDir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** The hash of every source file's name and content, and of this script. */
export function sourceHash() {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const file of filesUnder(srcDir)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(srcDir, file)));
  }
  return hash.digest('hex');
}

function builtHash() {
  try {
    return readFileSync(stampFile, 'utf8').trim();
  } catch {
    return null;
  }
}

function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

// Every import stays an import: packages as they are, relative files with .ts turned into .js.
const keepImports = {
  name: 'keep-imports',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const path = args.path.startsWith('.') ? args.path.replace(/\.ts$/, '.js') : args.path;
      return { path, external: true };
    });
  },
};

async function compile() {
  const { build } = await import('esbuild');
  const sources = filesUnder(srcDir);
  const result = await build({
    entryPoints: sources.filter((f) => f.endsWith('.ts')).map((f) => join(srcDir, f)),
    outbase: srcDir,
    outdir: distDir,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    plugins: [keepImports],
  });
  const written = new Set();
  for (const output of result.outputFiles) {
    writeAtomically(output.path, output.contents);
    written.add(relative(distDir, output.path).split(sep).join('/'));
  }
  for (const file of sources.filter((f) => !f.endsWith('.ts'))) {
    writeAtomically(join(distDir, file), readFileSync(join(srcDir, file)));
    written.add(file);
  }
  // Files of sources that are gone go too.
  for (const entry of readdirSync(distDir, { recursive: true, withFileTypes: true })) {
    const file = relative(distDir, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (entry.isFile() && !written.has(file) && !file.startsWith('.'))
      rmSync(join(distDir, file), { force: true });
  }
  return written.size;
}

/** Compiles when dist/ is missing or stale (or always, when forced); says whether it compiled. */
export async function ensureBuilt({ force = false, quiet = false } = {}) {
  const hash = sourceHash();
  if (!force && builtHash() === hash) return false;
  const started = performance.now();
  const files = await compile();
  writeAtomically(stampFile, `${hash}\n`);
  if (!quiet)
    process.stderr.write(
      `jcm: compiled ${files} files of src/ into dist/ in ${Math.round(performance.now() - started)} ms\n`,
    );
  return true;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await ensureBuilt({ force: process.argv.includes('--force') });
}
