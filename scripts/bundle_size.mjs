// The size of what a browser downloads to hydrate the app (the wasm and js
// of target/site/pkg, as built by `cargo leptos build --release` with
// wasm-opt), compressed with brotli as a server or CDN would serve it.
// Prints each file and the total; exits 1 when the total is over the limit.
//   node scripts/bundle_size.mjs [limit KB, default 600] [goal KB, default 400]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const [limitKb = 600, goalKb = 400] = process.argv.slice(2).map(Number);
const dir = 'target/site/pkg';
const files = readdirSync(dir).filter((f) => f.endsWith('.wasm') || f.endsWith('.js'));
if (files.length === 0) {
  console.error(`[bundle] no .wasm or .js in ${dir}: build the release first`);
  process.exit(1);
}
const kb = (bytes) => (bytes / 1024).toFixed(1);
let total = 0;
for (const file of files.sort()) {
  const raw = readFileSync(join(dir, file));
  const brotli = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  total += brotli;
  console.log(`[bundle] ${file}: ${kb(raw.length)} KB, ${kb(brotli)} KB brotli`);
}
const verdict = total > limitKb * 1024 ? 'OVER THE LIMIT' : total > goalKb * 1024 ? 'over the goal' : 'within the goal';
console.log(`[bundle] hydrate bundle: ${kb(total)} KB brotli (goal < ${goalKb} KB, limit ${limitKb} KB): ${verdict}`);
process.exit(total > limitKb * 1024 ? 1 : 0);
