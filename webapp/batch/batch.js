// The batch page: pick or drop a workbook or CSV, screen it in the module worker, show each application's
// verdict in a filterable table (with the counts and the rows flagged across rows) and offer the report
// workbook. The file is handed to the worker,
// which reads it; it never leaves the browser (the page's CSP allows no other origin). A screening can
// be cancelled, and a fresh worker replaces one that failed.

const root = document.getElementById("batch");
const engineInfo = document.getElementById("batch-engine");

/** A template with its {slots} filled; a plural one ({count, one, other}, see checker_py/strings.py) in the
 * form that its count calls for. */
function format(template, values) {
  const text = typeof template === "string" ? template : template[values[template.count] === 1 ? "one" : "other"];
  return text.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
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
  const ignored = document.getElementById("batch-ignored");
  const countsTable = document.getElementById("batch-counts");
  const countsCaption = document.getElementById("batch-counts-caption");
  const pairsHeading = document.getElementById("batch-pairs-heading");
  const pairs = document.getElementById("batch-pairs");
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
      module: "checker_sheets.browser",
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
    say(sentences(ui.batch_no_wasm, ui.batch_use_cli));
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
    const h = answer.headings;
    const head = element("tr");
    head.append(...[h.application, h.label_programme, h.summary_verdict, h.summary_request, h.summary_reasons]
      .map((text) => element("th", text, { scope: "col" })));
    table.tHead.replaceChildren(head);
    ignored.textContent = answer.ignored_text;
    ignored.hidden = !answer.ignored_text;
    showCounts(answer);
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

  function element(tag, text, attributes) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    return node;
  }

  // One application: named by its unit and project (or its row number), the verdict of the programme it
  // applies to (each programme's, when it names none), the largest request in 万元, and its first reason,
  // which opens onto all of them and the answers still missing.
  function rowElement(row) {
    const tr = document.createElement("tr");
    tr.dataset.row = row.row;
    const th = element("th", row.label, { scope: "row" });
    if (row.named) th.append(" ", element("span", format(shownAnswer.words.row_named, { row: row.row }), { class: "bt-rowno" }));
    tr.append(th, element("td", row.programme_title, { class: "bt-programme" }));
    const verdict = element("td");
    const request = element("td", null, { class: "bt-request" });
    shownAnswer.programmes.forEach((p, i) => {
      const value = row.verdicts[i];
      if (value === null) return;
      const name = shownAnswer.verdicts[value];
      const badge = element("span", row.programme ? name : `${p.title}${shownAnswer.words.colon}${name}`,
        { class: `bt-verdict bt-${value}`, "data-programme": p.id });
      verdict.append(badge);
      const admits = row.requests[i]; // formatted money, as the report's column has it
      if (admits !== null) request.append(element("span", row.programme ? admits : `${p.title}${shownAnswer.words.colon}${admits}`));
    });
    const reasons = element("td", null, { class: "bt-reasons" });
    const all = row.reasons.concat(row.missing.length ? [`${shownAnswer.headings.summary_missing}${shownAnswer.words.colon}${row.missing.join(shownAnswer.words.list_separator)}`] : []);
    if (all.length === 1) {
      reasons.append(element("span", all[0], { class: "bt-first" }));
    } else if (all.length) {
      const details = element("details");
      const summary = element("summary");
      summary.append(element("span", all[0], { class: "bt-first" }), " ",
        element("span", format(shownAnswer.words.all_reasons, { count: all.length }), { class: "bt-more" }));
      details.append(summary);
      const list = element("ul");
      all.forEach((text) => list.append(element("li", text)));
      details.append(list);
      reasons.append(details);
    }
    tr.append(verdict, request, reasons);
    return tr;
  }

  // The counts per programme and verdict (of the rows that asked for each), and the pairs flagged across rows.
  function showCounts(answer) {
    const h = answer.headings;
    const verdictIds = Object.keys(answer.verdicts);
    const headRow = element("tr");
    headRow.append(element("th", h.summary_programme, { scope: "col" }),
      ...verdictIds.map((v) => element("th", answer.verdicts[v], { scope: "col", class: `bt-verdict bt-${v}` })),
      element("th", h.summary_total, { scope: "col" }));
    const body = element("tbody");
    for (const p of answer.programmes) {
      const counts = answer.summary[p.id];
      const tr = element("tr", null, { "data-programme": p.id });
      tr.append(element("th", p.title, { scope: "row" }), ...verdictIds.map((v) => element("td", String(counts[v]), { "data-verdict": v })),
        element("td", String(verdictIds.reduce((sum, v) => sum + counts[v], 0))));
      body.append(tr);
    }
    const thead = element("thead");
    thead.append(headRow);
    countsTable.replaceChildren(countsCaption, thead, body);
    countsCaption.textContent = answer.counts[0];
    pairsHeading.textContent = h.flags_heading;
    pairs.replaceChildren(...(answer.pairs.length ? answer.pairs : [answer.words.no_pairs]).map((text) => element("li", text)));
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
    matching = shownAnswer.rows.filter((row) => (programme
      ? row.verdicts[index] !== null && (!verdict || row.verdicts[index] === verdict)
      : !verdict || row.verdicts.includes(verdict)));
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
