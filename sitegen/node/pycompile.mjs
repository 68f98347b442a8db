// Byte-compiles the checker's wheel and the part of the standard library its start-up imports, with
// the very Pyodide the site ships, run here in Node from node_modules: the bytecode then matches the
// browser's interpreter exactly, and nothing is downloaded. The npm package ships the standard
// library as source, so without this every visit compiles it again in the browser.
//
//   node sitegen/node/pycompile.mjs <pyodide dir> <wheel> <compiled stdlib.zip> <compiled wheel>
//
// Each compiled .py becomes a sourceless .pyc (unchecked hash: never compared with a source), as in
// Pyodide's own pyc builds; the wheel's RECORD is rewritten to match. Only the standard library
// modules that Pyodide and the checker import on the way to a first result are compiled: compiling
// all of it would almost double the download (4.0 MB against 2.2 MB gzip) for modules never run.

import { readFileSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const COMPILE = `
import base64, hashlib, importlib.util, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"

def imported_files(prefix):
    """The names inside the stdlib zip of every module imported so far."""
    files = {getattr(m, "__file__", None) or "" for m in list(sys.modules.values())}
    return {f[len(prefix):] for f in files if f.startswith(prefix)}

def compile_zip(source, target, only=None):
    """Write target: source with each compilable .py (of \`only\`, if given) replaced by its .pyc."""
    entries = []
    with zipfile.ZipFile(source) as zin:
        for info in zin.infolist():
            data = zin.read(info)
            name = info.filename
            if name.endswith(".py") and (only is None or name in only):
                try:
                    code = compile(data, name, "exec", dont_inherit=True)
                except SyntaxError:
                    pass  # kept as source: Python reports the error if it is ever imported
                else:
                    data = bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
                    name += "c"
            entries.append((info, name, data))
    records = [e for e in entries if e[1].endswith(".dist-info/RECORD")]
    if records:
        info, name, _ = records[0]
        lines = [record_line(n, d) for _, n, d in entries if n != name and not n.endswith("/")]
        entries[entries.index(records[0])] = (info, name, ("\\n".join(lines + [f"{name},,"]) + "\\n").encode())
    with zipfile.ZipFile(target, "w") as zout:
        for info, name, data in entries:
            out = zipfile.ZipInfo(name, date_time=info.date_time)
            out.compress_type = info.compress_type
            out.external_attr = info.external_attr
            zout.writestr(out, data)
`;

async function main(argv) {
  const [pyodideDir, wheel, stdlibOut, wheelOut] = argv;
  if (!wheelOut) throw new Error("usage: pycompile.mjs <pyodide dir> <wheel> <compiled stdlib.zip> <compiled wheel>");
  const indexURL = resolve(pyodideDir) + "/";
  const { loadPyodide } = await import(pathToFileURL(indexURL + "pyodide.mjs").href);
  const py = await loadPyodide({ indexURL, stdout: () => {}, stderr: (m) => console.error(m) });
  py.FS.writeFile("/tmp/" + basename(wheel), readFileSync(wheel));
  // The checker's own start-up, as the worker runs it: load the wheel, import it, evaluate once.
  py.runPython(`
import sys, zipfile
zipfile.ZipFile("/tmp/${basename(wheel)}").extractall("/tmp/wheel")
sys.path.insert(0, "/tmp/wheel")
import checker_py
try:
    checker_py.evaluate_json("{}")
except Exception:
    pass  # an engine that rejects an empty profile has still imported what it needs
sys.path.remove("/tmp/wheel")
`);
  py.runPython(COMPILE);
  const stdlibPrefix = py.runPython(`import os; os.path.dirname(os.__file__) + "/"`);
  const used = py.runPython(`imported_files(${JSON.stringify(stdlibPrefix)})`);
  const stdlibZip = "/lib/" + basename(stdlibPrefix);
  py.globals.get("compile_zip")(stdlibZip, "/tmp/stdlib.zip", used);
  py.globals.get("compile_zip")("/tmp/" + basename(wheel), "/tmp/wheel.whl");
  writeFileSync(stdlibOut, py.FS.readFile("/tmp/stdlib.zip"));
  writeFileSync(wheelOut, py.FS.readFile("/tmp/wheel.whl"));
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`pycompile: ${err && err.message ? err.message : err}`);
  process.exit(1);
});
