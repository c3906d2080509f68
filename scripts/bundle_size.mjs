// What a browser downloads to hydrate a page, as built by
// scripts/build_release.sh (split, wasm-opt applied, shared chunks joined),
// compressed with brotli as a server or CDN would serve it. The main module
// (wasm + js) is loaded on every page; each page group's code is a chunk of
// its own that the page loads before it hydrates (listed in
// __wasm_split_manifest.json, with the shared chunks it needs). The number
// checked is the heaviest first page: main + that group's chunks. Exits 1 when
// it is over the limit.
//   node scripts/bundle_size.mjs [limit KB, default 600] [goal KB, default 400]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const [limitKb = 600, goalKb = 400] = process.argv.slice(2).map(Number);
const dir = 'target/site/pkg';
const manifestFile = join(dir, '__wasm_split_manifest.json');
const kb = (bytes) => (bytes / 1024).toFixed(1);
const brotli = (file) =>
  brotliCompressSync(readFileSync(join(dir, file)), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

const code = readdirSync(dir).filter((f) => f.endsWith('.wasm') || f.endsWith('.js')).sort();
if (code.length === 0) {
  console.error(`[bundle] no .wasm or .js in ${dir}: build the release first`);
  process.exit(1);
}
const manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : {};
const chunkFile = (stem) => code.find((f) => f === `${stem}.wasm`);
const chunkFiles = new Set(Object.values(manifest).flat().map(chunkFile).filter(Boolean));

const sizes = new Map(code.map((file) => [file, brotli(file)]));
const sum = (files) => files.reduce((total, file) => total + sizes.get(file), 0);
const main = code.filter((file) => !chunkFiles.has(file));
const mainSize = sum(main);
console.log(`[bundle] main (every page): ${main.join(', ')}: ${kb(mainSize)} KB brotli`);

let heaviest = { name: 'no split routes', size: mainSize };
for (const [name, stems] of Object.entries(manifest).sort()) {
  const chunks = stems.map(chunkFile).filter(Boolean);
  const size = mainSize + sum(chunks);
  console.log(`[bundle] first page of ${name}: main + ${chunks.length} chunks = ${kb(size)} KB brotli`);
  if (size > heaviest.size) heaviest = { name, size };
}
console.log(`[bundle] all files together: ${kb(sum(code))} KB brotli`);
const verdict =
  heaviest.size > limitKb * 1024 ? 'OVER THE LIMIT' : heaviest.size > goalKb * 1024 ? 'over the goal' : 'within the goal';
console.log(
  `[bundle] heaviest first page (${heaviest.name}): ${kb(heaviest.size)} KB brotli ` +
    `(goal < ${goalKb} KB, limit ${limitKb} KB): ${verdict}`,
);
process.exit(heaviest.size > limitKb * 1024 ? 1 : 0);
