// The engine's home: a module worker (Pyodide 314 refuses classic workers) that loads the
// self-hosted runtime and the checker_py wheel, then answers evaluate requests with the exact
// JSON text checker_py.evaluate_json returns. Nothing here talks to any other origin.

let engine = null; // Promise of the Python evaluate_json function
let nextQuestionsJson = null; // checker_py.next_questions_json, once loaded
let normaliseJson = null; // checker_py.normalise_json, once loaded

function post(message) {
  self.postMessage(message);
}

// The byte-compiled standard library and wheel the build made with this very Pyodide, in the folder
// the page names (`pyc`, from the worker's URL): null for a build without them.
function byteCompiled(hash, wheelUrl) {
  if (!hash) return null;
  const folder = new URL(`pyc/${hash}/`, self.location.href);
  return { stdlib: new URL("python_stdlib.zip", folder).href, wheel: new URL(wheelUrl.split("/").pop(), folder).href };
}

// One start of Pyodide with the given stdlib (undefined: the package's source zip) and wheel.
async function boot(loadPyodide, indexURL, stdLibURL, wheelUrl) {
  const py = await loadPyodide({ indexURL, stdLibURL });
  post({ type: "progress", step: "rules" });
  const problems = [];
  // loadPackage logs a failure instead of throwing: the import below is the real test.
  await py.loadPackage(wheelUrl, { messageCallback: () => {}, errorCallback: (m) => problems.push(m) });
  let module;
  try {
    module = py.pyimport("checker_py");
  } catch (err) {
    throw new Error(`checker_py did not load${problems.length ? ": " + problems.join("; ") : ""}`);
  }
  const evaluateJson = module.evaluate_json;
  if (typeof evaluateJson !== "function") throw new Error("checker_py has no evaluate_json");
  nextQuestionsJson = module.next_questions_json;
  normaliseJson = module.normalise_json;
  return evaluateJson;
}

async function start({ pyodide: pyodideUrl, wheel: wheelUrl, pyc }) {
  post({ type: "progress", step: "runtime" });
  const { loadPyodide } = await import(pyodideUrl);
  const indexURL = new URL(".", pyodideUrl).href;
  const compiled = byteCompiled(pyc, wheelUrl);
  if (compiled) {
    try {
      return await boot(loadPyodide, indexURL, compiled.stdlib, compiled.wheel);
    } catch (err) {
      // Without WebAssembly the source files would not start either (the page checks first).
      if (typeof WebAssembly !== "object") throw err;
      // A host that lost the files, or bytecode this runtime rejects: start again from source.
      console.warn(`byte-compiled start failed, using the source files: ${messageOf(err)}`);
    }
  }
  return boot(loadPyodide, indexURL, undefined, wheelUrl);
}

// One request: the JSON text `call(evaluateJson, kwargs)` returns once the engine is up, or the
// error's message. Keyword arguments: a JS null would arrive as jsnull, not None; an absent one is
// the default.
async function reply(id, programme, kwargs, call) {
  try {
    const evaluateJson = await engine;
    if (programme) kwargs.programme = programme;
    post({ type: "result", id, text: call(evaluateJson, kwargs) });
  } catch (err) {
    post({ type: "error", id, message: messageOf(err) });
  }
}

// What an error says, whatever was thrown.
function messageOf(err) {
  return String(err && err.message ? err.message : err);
}

function answer({ id, text, programme, lang }) {
  return reply(id, programme, { lang: lang || "zh" }, (evaluateJson, kwargs) => evaluateJson.callKwargs(text, kwargs));
}

function answerNextQuestions({ id, text, programme, skipped }) {
  return reply(id, programme, { skipped_json: skipped || "[]" }, (_, kwargs) => {
    if (typeof nextQuestionsJson !== "function") throw new Error("checker_py has no next_questions_json");
    return nextQuestionsJson.callKwargs(text, kwargs);
  });
}

function answerNormalise({ id, text, lang }) {
  return reply(id, null, { lang: lang || "zh" }, (_, kwargs) => {
    if (typeof normaliseJson !== "function") throw new Error("checker_py has no normalise_json");
    return normaliseJson.callKwargs(text, kwargs);
  });
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "start" && engine === null) {
    engine = start(message);
    engine.then(
      () => post({ type: "ready" }),
      (err) => post({ type: "failed", message: messageOf(err) }),
    );
  } else if (message.type === "evaluate") {
    answer(message);
  } else if (message.type === "next_questions") {
    answerNextQuestions(message);
  } else if (message.type === "normalise") {
    answerNormalise(message);
  }
});
