// Joins the small WebAssembly files that `cargo leptos build --release
// --split` makes for code shared by several page groups into one file.
//
// Why: the splitter puts code used by several lazily loaded page groups (see
// src/routes.rs) into one file per combination of groups. A first page then
// fetches 70-90 of them, most under 1 KB, each compressed on its own; the
// profile page's files took 37 KB more brotli one by one than together.
// Code shared by at least MIN_GROUPS groups goes into one file,
// chunk_common.wasm, which a page loads when it needs any of it: a page
// downloads some code it does not run, and far fewer, better compressed files
// (numbers in docs/performance.md).
//
// How: the chunks only import the main module's memory, function table and
// stack pointer, and install their functions in the table when instantiated;
// none exports anything or runs code on load. binaryen's wasm-merge joins
// them, with a small hub module so that the three imports appear once; the
// loader script (__wasm_split.*.js) then maps every joined chunk to the one
// file, and the manifest the server reads to preload a page's files names it
// instead. Run after every split release build; a second run changes nothing.
//   node scripts/merge_chunks.mjs [site pkg dir, default target/site/pkg]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MIN_GROUPS = 3;
const COMMON = 'chunk_common';
const HOST = 'host';
// The wasm features the build gives wasm-opt (Cargo.toml, wasm-opt-features).
const FEATURES = readFileSync('Cargo.toml', 'utf8')
  .match(/^wasm-opt-features = \[(.*)\]$/m)[1]
  .match(/"--enable-[^"]+"/g)
  .map((flag) => flag.slice(1, -1));

const dir = process.argv[2] ?? 'target/site/pkg';
const manifestFile = join(dir, '__wasm_split_manifest.json');
const loaderFile = readdirSync(dir).find((f) => f.startsWith('__wasm_split.') && f.endsWith('.js'));
if (!existsSync(manifestFile) || !loaderFile) {
  console.log('[merge] no split build here: nothing to do');
  process.exit(0);
}
const loaderPath = join(dir, loaderFile);
const loader = readFileSync(loaderPath, 'utf8');
if (loader.includes(`__${COMMON}`)) {
  console.log('[merge] shared chunks already joined');
  process.exit(0);
}

const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const groupsOf = new Map();
for (const [group, stems] of Object.entries(manifest)) {
  for (const stem of stems.filter((s) => /^chunk_\d+$/.test(s))) {
    groupsOf.set(stem, (groupsOf.get(stem) ?? 0) + 1);
  }
}
const joined = [...groupsOf].filter(([, groups]) => groups >= MIN_GROUPS).map(([stem]) => stem);
if (joined.length < 2) {
  console.log('[merge] fewer than two shared chunks: nothing to do');
  process.exit(0);
}

const bin = (tool) => {
  const local = join('node_modules', '.bin', tool);
  return existsSync(local) ? local : tool;
};

// The hub re-exports the main module's memory and table, with the limits the
// chunks import them with, and its stack pointer, so that every joined chunk
// imports them from the hub.
function hubText(chunkFiles) {
  const limits = {};
  for (const file of chunkFiles) {
    const text = execFileSync(bin('wasm-dis'), [...FEATURES, file], { maxBuffer: 1 << 28 }).toString();
    for (const kind of ['memory', 'table']) {
      const found = text.match(new RegExp(`\\(import "__wasm_split" "[^"]+" \\(${kind} \\$\\S+ ([^)]*)\\)`));
      limits[kind] ??= found?.[1];
    }
    if (limits.memory && limits.table) break;
  }
  if (!limits.memory || !limits.table) throw new Error('[merge] no chunk imports the memory and the table');
  return `(module
 (import "${HOST}" "memory" (memory $m ${limits.memory}))
 (import "${HOST}" "__indirect_function_table" (table $t ${limits.table}))
 (import "${HOST}" "__wasm_split_shared0" (global $g (mut i32)))
 (export "memory" (memory $m))
 (export "__indirect_function_table" (table $t))
 (export "__wasm_split_shared0" (global $g)))
`;
}

const work = mkdtempSync(join(tmpdir(), 'reservo-merge-'));
try {
  const hubWat = join(work, 'hub.wat');
  const hubWasm = join(work, 'hub.wasm');
  writeFileSync(hubWat, hubText(joined.map((stem) => join(dir, `${stem}.wasm`))));
  execFileSync(bin('wasm-as'), [...FEATURES, hubWat, '-o', hubWasm]);
  const inputs = joined.flatMap((stem) => [join(dir, `${stem}.wasm`), stem]);
  const out = join(dir, `${COMMON}.wasm`);
  execFileSync(bin('wasm-merge'), [...FEATURES, hubWasm, '__wasm_split', ...inputs, '-o', out]);
  // -O1 again on the joined file: the chunks' shims and duplicated helpers
  // fold together (8 KB brotli less, measured).
  execFileSync(bin('wasm-opt'), [...FEATURES, '-O1', '--strip-debug', '--strip-producers', out, '-o', out]);
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Each joined chunk's loader becomes the common one: loaders are memoised, so
// the file is fetched and instantiated once whichever chunk asks first.
let rewritten = loader;
for (const stem of joined) {
  const block = new RegExp(`const __${stem} = makeLoad\\(\\(\\) => \\{[^]*?\\n\\}\\n, \\[\\]\\);`);
  if (!block.test(rewritten)) throw new Error(`[merge] no loader for ${stem} in ${loaderFile}`);
  rewritten = rewritten.replace(block, `const __${stem} = () => __${COMMON}();`);
}
const commonLoader = `const __${COMMON} = makeLoad(() => {
    const src = fetch(new URL("./${COMMON}.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, { ${HOST}: imports.__wasm_split }));
}
, []);
`;
const firstChunk = rewritten.search(/\/\* [^*]*\*\/\nconst __chunk_|const __chunk_/);
rewritten = rewritten.slice(0, firstChunk) + commonLoader + rewritten.slice(firstChunk);
writeFileSync(loaderPath, rewritten);

const merged = Object.fromEntries(
  Object.entries(manifest).map(([group, stems]) => {
    const kept = stems.filter((s) => !joined.includes(s));
    return [group, kept.length < stems.length ? [...kept, COMMON] : kept];
  }),
);
writeFileSync(manifestFile, JSON.stringify(merged, null, 2));
for (const stem of joined) rmSync(join(dir, `${stem}.wasm`));
console.log(`[merge] joined ${joined.length} chunks shared by ${MIN_GROUPS} or more page groups into ${COMMON}.wasm`);
