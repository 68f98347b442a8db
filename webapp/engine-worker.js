// The engine's one home for every page: a module worker (Pyodide 314 refuses classic workers) that
// loads the self-hosted runtime and the wheels the page names, imports one Python module and answers
// the page's requests by calling that module. The checker page starts it with the checker_py wheel
// (and the byte-compiled files the build made); the batch page with the spreadsheet layer's wheels
// too. Every URL arrives absolute. Nothing here talks to any other origin.

let engine = null; // Promise of the imported Python module

// The checker page's requests: the message type and the module's function that answers it with the
// exact JSON text `python -m checker_py` would print.
const CALLS = { evaluate: "evaluate_json", next_questions: "next_questions_json", next_step: "next_step_json",
  normalise: "normalise_json" };
// The requests that name the questions a person left unanswered.
const ASKING = ["next_questions", "next_step"];

function post(message, transfer) {
  self.postMessage(message, transfer || []);
}

// What an error says, whatever was thrown.
function messageOf(err) {
  return String(err && err.message ? err.message : err);
}

// One start of Pyodide with the given stdlib (undefined: the package's source zip) and wheels.
async function boot(loadPyodide, indexURL, stdLibURL, wheels, moduleName) {
  const py = await loadPyodide({ indexURL, stdLibURL });
  post({ type: "starting", step: "rules" });
  const problems = [];
  // loadPackage logs a failure instead of throwing: the import below is the real test.
  await py.loadPackage(wheels, { messageCallback: () => {}, errorCallback: (m) => problems.push(m) });
  try {
    return py.pyimport(moduleName);
  } catch (err) {
    throw new Error(`${moduleName} did not load${problems.length ? ": " + problems.join("; ") : ""}`);
  }
}

// `pyc`: the folder of the byte-compiled standard library and first wheel, or none. Their start is
// tried first; should it fail (a host that lost the files, bytecode this runtime rejects), the
// source files start instead.
async function start({ pyodide: pyodideUrl, wheels, pyc, module: moduleName }) {
  post({ type: "starting", step: "runtime" });
  const { loadPyodide } = await import(pyodideUrl);
  const indexURL = new URL(".", pyodideUrl).href;
  if (pyc) {
    const compiled = [new URL(wheels[0].split("/").pop(), pyc).href, ...wheels.slice(1)];
    try {
      return await boot(loadPyodide, indexURL, new URL("python_stdlib.zip", pyc).href, compiled, moduleName);
    } catch (err) {
      // Without WebAssembly the source files would not start either (the page checks first).
      if (typeof WebAssembly !== "object") throw err;
      console.warn(`byte-compiled start failed, using the source files: ${messageOf(err)}`);
    }
  }
  return boot(loadPyodide, indexURL, undefined, wheels, moduleName);
}

// A checker request: the JSON text the module's function returns for the profile's JSON text.
// Keyword arguments: a JS null would arrive as jsnull, not None; an absent one is the default.
async function call({ id, type, text, programme, lang, skipped }) {
  try {
    const module = await engine;
    const kwargs = ASKING.includes(type) ? { skipped_json: skipped || "[]" } : { lang: lang || "zh" };
    if (programme && type !== "normalise") kwargs.programme = programme;
    const fn = module[CALLS[type]];
    if (typeof fn !== "function") throw new Error(`the engine has no ${CALLS[type]}`);
    post({ type: "result", id, text: fn.callKwargs(text, kwargs) });
  } catch (err) {
    post({ type: "error", id, message: messageOf(err) });
  }
}

// A batch request: one spreadsheet file, read and screened here (nothing big passes through the
// page); the answer is the screening's JSON text and the report's bytes.
async function screen({ id, file, lang }) {
  try {
    const module = await engine;
    // A file past the size limit is refused before it is read into memory.
    const refusal = module.size_error(file.name, file.size, lang || "zh");
    if (refusal) {
      post({ type: "result", id, text: refusal, report: new ArrayBuffer(0) });
      return;
    }
    const data = new Uint8Array(await file.arrayBuffer());
    const progress = (done, total) => post({ type: "progress", id, done, total });
    const text = module.screen_file.callKwargs(data, file.name, { lang: lang || "zh", progress });
    const proxy = module.report_bytes();
    const buffer = proxy.getBuffer();
    const report = buffer.data.slice().buffer; // a copy the page can own
    buffer.release();
    proxy.destroy();
    post({ type: "result", id, text, report }, [report]);
  } catch (err) {
    post({ type: "error", id, message: messageOf(err) });
  }
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "start" && engine === null) {
    engine = start(message);
    engine.then(
      () => post({ type: "ready" }),
      (err) => post({ type: "failed", message: messageOf(err) }),
    );
  } else if (message.type in CALLS) {
    call(message);
  } else if (message.type === "screen") {
    screen(message);
  }
});
