// The client of the engine: checker_py in the module worker every page shares (engine-worker.js) on
// the self-hosted Pyodide. Every request is a message with an id; the answer is the JSON text Python returns.

// The smallest WebAssembly module there is: its header alone.
const EMPTY_MODULE = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);

/** Whether this page can run the engine: WebAssembly exists (not in Chromium's --jitless, nor in a
 * Firefox with javascript.options.wasm off) and may be compiled here (old Safari, which does not
 * know the CSP's 'wasm-unsafe-eval', refuses to). Asked before a worker starts downloading ~10 MB. */
export function canRunWasm() {
  try {
    return new WebAssembly.Module(EMPTY_MODULE) instanceof WebAssembly.Module;
  } catch (err) {
    return false;
  }
}

export class Engine {
  constructor(workerUrl, pyodideUrl, wheelUrl, onProgress) {
    this.pending = new Map();
    this.nextId = 1;
    this.loaded = false;
    this.worker = new Worker(workerUrl, { type: "module" });
    this.ready = new Promise((resolve, reject) => {
      this.worker.addEventListener("message", (event) => {
        const msg = event.data || {};
        if (msg.type === "starting") onProgress(msg.step);
        else if (msg.type === "ready") { this.loaded = true; resolve(true); }
        else if (msg.type === "failed") reject(new Error(msg.message));
        else if (msg.type === "result" || msg.type === "error") this.settle(msg);
      });
      this.worker.addEventListener("error", (event) => reject(new Error(event.message || "worker error")));
    });
    // The byte-compiled files the build named in the worker's URL (`pyc=<hash>`, a folder beside the
    // worker) are passed on here: the worker cannot read them from its own location, which loses the
    // query when the service worker answers from its cache (a cached response's URL is its cache key).
    const worker = new URL(workerUrl, location.href);
    const hash = worker.searchParams.get("pyc");
    const pyc = hash ? new URL(`pyc/${hash}/`, worker).href : null;
    this.worker.postMessage({ type: "start", pyodide: pyodideUrl, wheels: [wheelUrl], pyc, module: "checker_py" });
  }

  /** Resolve or reject the request a worker answer belongs to. */
  settle(msg) {
    const waiting = this.pending.get(msg.id);
    if (!waiting) return;
    this.pending.delete(msg.id);
    if (msg.type === "result") waiting.resolve(msg.text);
    else waiting.reject(new Error(msg.message));
  }

  /** Promise of the worker's answer text to one message, once the engine is ready. */
  ask(message) {
    return this.ready.then(() => new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    }));
  }

  /** Promise of the JSON text checker_py.evaluate_json returns for a profile's JSON text. */
  evaluateText(text, programme, lang) {
    return this.ask({ type: "evaluate", text, programme: programme || null, lang });
  }

  /** Promise of the JSON text checker_py.normalise_json returns: the profile as the rules read it
   * (typed dates as ISO text, typed amounts as numbers), or the error object. */
  normaliseText(text, lang) {
    return this.ask({ type: "normalise", text, lang });
  }

  /** Promise of the JSON text checker_py.next_step_json returns (the guided mode's next step, or an error). */
  nextStepText(text, programme, skipped) {
    return this.ask({ type: "next_step", text, programme: programme || null, skipped: JSON.stringify(skipped || []) });
  }

  /** Promise of the JSON text checker_py.next_questions_json returns (a list of paths, or an error). */
  nextQuestionsText(text, programme, skipped) {
    return this.ask({ type: "next_questions", text, programme: programme || null, skipped: JSON.stringify(skipped || []) });
  }
}
