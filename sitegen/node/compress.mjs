// Writes the brotli copies of files, for hosts that send pre-compressed files (`brotli_static`):
// Node's own zlib has brotli, offline and pinned with Node; Python's standard library has none.
// (The .gz copies come from Python's gzip: the system zlib compresses wasm 2 % smaller than Node's.)
//
//   node sitegen/node/compress.mjs < lines of "<source file>\t<target without suffix>"
//
// writes <target>.br for each line.

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";

// Brotli's best quality takes over a minute for the 9.6 MB wasm; above this size quality 9 is
// within 12 % of it in a twentieth of the time.
const BEST_QUALITY_UP_TO = 2 * 1024 * 1024;

function brotli(data) {
  const quality = data.length <= BEST_QUALITY_UP_TO ? constants.BROTLI_MAX_QUALITY : 9;
  return brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
}

const lines = readFileSync(0, "utf8").split("\n").filter(Boolean);
for (const line of lines) {
  const [source, target] = line.split("\t");
  const data = readFileSync(source);
  // Written under a temporary name first: an interrupted run leaves no truncated copy behind.
  writeFileSync(target + ".br.tmp", brotli(data));
  renameSync(target + ".br.tmp", target + ".br");
}
