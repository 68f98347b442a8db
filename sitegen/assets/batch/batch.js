// The batch page: pick or drop a workbook or CSV, screen it in the module worker, show the verdicts
// per programme in a filterable table and offer the report workbook. The file is handed to the worker,
// which reads it; it never leaves the browser (the page's CSP allows no other origin). A screening can
// be cancelled, and a fresh worker replaces one that failed.

const root = document.getElementById("batch");
const engineInfo = document.getElementById("batch-engine");

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
}

if (root && engineInfo) {
  const ui = JSON.parse(root.dataset.ui);
  const lang = root.dataset.lang || "zh";
  const input = document.getElementById("batch-file");
  const status = document.getElementById("batch-status");
  const bar = document.getElementById("batch-progress");
  const download = document.getElementById("batch-download");
  const results = document.getElementById("batch-results");
  const table = document.getElementById("batch-table");
  const shown = document.getElementById("batch-shown");
  const programmeFilter = document.getElementById("batch-filter-programme");
  const verdictFilter = document.getElementById("batch-filter-verdict");
  const cancel = document.getElementById("batch-cancel");
  let worker = null; // started once the browser is known to run the engine
  let current = 0; // id of the screening whose answer we wait for
  let reportUrl = null;
  let ready = false;
  let waiting = null; // a file given while the engine loads, screened once it is ready

  const say = (text) => { status.textContent = text; };
  // Chinese sentences follow one another with no space between them.
  const sentences = (...texts) => texts.join(lang === "zh" ? "" : " ");
  // The worker resolves URLs against its own script: hand it absolute ones.
  const absolute = (url) => new URL(url, document.baseURI).href;

  // The engine is a worker of its own; a fresh one replaces it after a cancel or a failure, since a
  // Python busy in a file cannot be interrupted and one that ran out of memory is not to be trusted.
  function startEngine() {
    ready = false;
    input.disabled = true;
    root.dataset.engine = "loading";
    worker = new Worker(engineInfo.dataset.worker, { type: "module" });
    worker.addEventListener("message", listen);
    worker.addEventListener("error", (event) => {
      if (root.dataset.state !== "screening") return;
      fail(event.message || String(event));
      restart();
    });
    worker.postMessage({
      type: "start",
      pyodide: absolute(engineInfo.dataset.pyodide),
      wheels: engineInfo.dataset.wheels.trim().split(/\s+/).map(absolute),
    });
  }

  function restart() {
    worker.terminate();
    startEngine();
  }

  function listen(event) {
    const message = event.data || {};
    if (message.type === "ready") {
      ready = true;
      input.disabled = false;
      root.dataset.engine = "ready";
      if (waiting) {
        const file = waiting;
        waiting = null;
        screen(file);
      } else if (root.dataset.state === "cancelled") {
        say(sentences(ui.batch_cancelled, ui.batch_ready));
      } else if (!root.dataset.state) {
        say(ui.batch_ready);
        root.dataset.state = "ready";
      }
    } else if (message.type === "failed") {
      waiting = null;
      say(ui.batch_failed + message.message);
      root.dataset.engine = "failed";
      root.dataset.state = "failed";
    } else if (message.id !== current) {
      // An answer to a file the user has since replaced or cancelled.
    } else if (message.type === "progress") {
      bar.max = message.total;
      bar.value = message.done;
      say(format(ui.batch_progress, message));
    } else if (message.type === "result") {
      show(JSON.parse(message.text), message.report);
    } else if (message.type === "error") {
      fail(message.message);
      restart();
    }
  }

  // A browser that cannot run the engine says so, hides the file picker and downloads nothing more.
  function unsupported() {
    waiting = null;
    say(`${ui.batch_no_wasm} ${ui.batch_use_cli}`);
    root.querySelector(".bt-drop").hidden = true;
    root.dataset.state = "unsupported";
  }

  say(ui.batch_loading);
  import(absolute(engineInfo.dataset.engine))
    .then(({ canRunWasm }) => (canRunWasm() ? startEngine() : unsupported()))
    .catch((err) => {
      say(ui.batch_failed + String(err && err.message ? err.message : err));
      root.dataset.state = "failed";
    });

  function fail(text) {
    bar.hidden = true;
    cancel.hidden = true;
    say(ui.batch_error + text);
    root.dataset.state = "error";
  }

  function screen(file) {
    if (!file || root.dataset.state === "unsupported" || root.dataset.state === "failed") return;
    if (!ready) {
      waiting = file;
      say(format(ui.batch_waiting, { name: file.name }));
      return;
    }
    current += 1;
    results.hidden = true;
    download.hidden = true;
    bar.hidden = false;
    bar.removeAttribute("value");
    cancel.hidden = false;
    root.dataset.state = "screening";
    say(format(ui.batch_reading, { name: file.name }));
    // The worker reads the file itself, after checking its size: nothing big passes through the page.
    worker.postMessage({ type: "screen", id: current, file, lang });
    root.dataset.file = file.name;
    input.value = ""; // picking the same file again (after a cancel, say) screens it again
  }

  cancel.addEventListener("click", () => {
    if (root.dataset.state !== "screening") return;
    current += 1;
    bar.hidden = true;
    cancel.hidden = true;
    root.dataset.state = "cancelled";
    say(ui.batch_cancelled);
    restart();
  });

  function option(select, value, text) {
    const item = document.createElement("option");
    item.value = value;
    item.textContent = text;
    select.append(item);
  }

  function show(answer, report) {
    bar.hidden = true;
    cancel.hidden = true;
    if (answer.error) {
      fail(answer.error);
      if (answer.restart) restart();
      return;
    }
    if (reportUrl) URL.revokeObjectURL(reportUrl);
    reportUrl = URL.createObjectURL(new Blob([report], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
    download.href = reportUrl;
    download.download = `${ui.batch_report_name}-${(root.dataset.file || "").replace(/\.[^.]+$/, "")}.xlsx`;
    download.hidden = false;

    for (const select of [programmeFilter, verdictFilter]) {
      while (select.options.length > 1) select.remove(1);
    }
    answer.programmes.forEach((p) => option(programmeFilter, p.id, p.title));
    Object.entries(answer.verdicts).forEach(([value, text]) => option(verdictFilter, value, text));
    const head = table.tHead.rows[0];
    while (head.cells.length > 1) head.deleteCell(1);
    for (const p of answer.programmes) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = p.title;
      head.append(th);
    }
    const errorsHead = document.createElement("th");
    errorsHead.scope = "col";
    errorsHead.textContent = answer.verdicts.error;
    head.append(errorsHead);
    shownAnswer = answer;
    const errors = answer.rows.filter((r) => r.errors.length).length;
    const done = format(ui.batch_done, { total: answer.rows.length, errors });
    say(answer.sheet ? sentences(done, format(ui.batch_sheet, { sheet: answer.sheet })) : done);
    root.dataset.rows = String(answer.rows.length);
    results.hidden = false;
    applyFilter();
    root.dataset.state = "done";
  }

  // The table shows one page of the matching rows at a time: a hundred rows keep every
  // layout short, however long the sheet (the report holds them all).
  const PAGE = 100;
  let shownAnswer = null;
  let matching = [];
  let page = 0;

  function rowElement(row) {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = row.row;
    tr.append(th);
    row.verdicts.forEach((verdict, i) => {
      const td = document.createElement("td");
      td.className = `bt-verdict bt-${verdict}`;
      td.dataset.programme = shownAnswer.programmes[i].id;
      const best = row.max_request[i];
      td.textContent = shownAnswer.verdicts[verdict] + (best !== null && verdict !== "ineligible" ? ` · ≤ ${best}` : "");
      tr.append(td);
    });
    const errors = document.createElement("td");
    errors.textContent = row.errors.join("\n");
    tr.append(errors);
    return tr;
  }

  function renderPage() {
    const pages = Math.max(1, Math.ceil(matching.length / PAGE));
    page = Math.min(page, pages - 1);
    const fragment = document.createDocumentFragment();
    for (const row of matching.slice(page * PAGE, (page + 1) * PAGE)) fragment.append(rowElement(row));
    table.tBodies[0].replaceChildren(fragment);
    pageLabel.textContent = format(ui.batch_page, { page: page + 1, pages });
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  function applyFilter() {
    const programme = programmeFilter.value;
    const verdict = verdictFilter.value;
    const index = shownAnswer.programmes.findIndex((p) => p.id === programme);
    matching = shownAnswer.rows.filter((row) =>
      !verdict || (programme ? row.verdicts[index] === verdict : row.verdicts.includes(verdict)));
    page = 0;
    shown.textContent = format(ui.batch_shown, { shown: matching.length, total: shownAnswer.rows.length });
    renderPage();
  }

  const previous = document.getElementById("batch-previous");
  const next = document.getElementById("batch-next");
  const pageLabel = document.getElementById("batch-page");
  previous.addEventListener("click", () => { page -= 1; renderPage(); });
  next.addEventListener("click", () => { page += 1; renderPage(); });
  programmeFilter.addEventListener("change", applyFilter);
  verdictFilter.addEventListener("change", applyFilter);
  input.addEventListener("change", () => screen(input.files[0]));
  const drop = root.querySelector(".bt-drop");
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("bt-over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("bt-over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("bt-over");
    screen(event.dataTransfer.files[0]);
  });
}
