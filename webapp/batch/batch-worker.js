// The batch page's engine: a module worker that loads the same self-hosted Pyodide and the same
// checker_py wheel as the checker page, plus the spreadsheet layer (et_xmlfile, openpyxl,
// checker_sheets), which only this page loads. The file arrives from the page by postMessage and
// is read and screened here; nothing is sent anywhere, and the page stays responsive.

let engine = null; // Promise of {screenFile, reportBytes}

function post(message, transfer) {
  self.postMessage(message, transfer || []);
}

async function start({ pyodide: pyodideUrl, wheels }) {
  const { loadPyodide } = await import(pyodideUrl);
  const py = await loadPyodide({ indexURL: new URL(".", pyodideUrl).href });
  const problems = [];
  // loadPackage logs a failure instead of throwing: the import below is the real test.
  await py.loadPackage(wheels, { messageCallback: () => {}, errorCallback: (m) => problems.push(m) });
  let module;
  try {
    module = py.pyimport("checker_sheets.browser");
  } catch (err) {
    throw new Error(`checker_sheets did not load${problems.length ? ": " + problems.join("; ") : ""}`);
  }
  return { screenFile: module.screen_file, reportBytes: module.report_bytes, sizeError: module.size_error };
}

async function screen({ id, file, lang }) {
  try {
    const { screenFile, reportBytes, sizeError } = await engine;
    // A file past the size limit is refused before it is read into memory.
    const refusal = sizeError(file.name, file.size, lang || "zh");
    if (refusal) {
      post({ type: "result", id, text: refusal, report: new ArrayBuffer(0) });
      return;
    }
    const data = new Uint8Array(await file.arrayBuffer());
    const progress = (done, total) => post({ type: "progress", id, done, total });
    const text = screenFile.callKwargs(data, file.name, { lang: lang || "zh", progress });
    const proxy = reportBytes();
    const buffer = proxy.getBuffer();
    const report = buffer.data.slice().buffer; // a copy the page can own
    buffer.release();
    proxy.destroy();
    post({ type: "result", id, text, report }, [report]);
  } catch (err) {
    post({ type: "error", id, message: String(err && err.message ? err.message : err) });
  }
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "start" && engine === null) {
    engine = start(message);
    engine.then(
      () => post({ type: "ready" }),
      (err) => post({ type: "failed", message: String(err && err.message ? err.message : err) }),
    );
  } else if (message.type === "screen") {
    screen(message);
  }
});
