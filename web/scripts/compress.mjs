// Writes <file>.gz beside every compressible file of dist/ larger than 1 kB: the gateway sends
// it to clients that accept gzip, so no request pays for compression.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|wasm|txt|map)$/;
let before = 0;
let after = 0;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (COMPRESSIBLE.test(name) && statSync(path).size > 1024) {
      const bytes = readFileSync(path);
      const packed = gzipSync(bytes, { level: 9 });
      writeFileSync(`${path}.gz`, packed);
      before += bytes.length;
      after += packed.length;
    }
  }
}
walk(new URL("../dist", import.meta.url).pathname);
console.log(`compress: ${(before / 1024).toFixed(0)} kB -> ${(after / 1024).toFixed(0)} kB gzip`);
