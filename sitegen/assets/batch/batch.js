// The batch page: pick or drop a workbook or CSV, screen it in the module worker, show the verdicts
// per programme in a filterable table and offer the report workbook. The file is read into memory
// and handed to the worker; it never leaves the browser (the page's CSP allows no other origin).

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
  const worker = new Worker(engineInfo.dataset.worker, { type: "module" });
  let current = 0; // id of the screening whose answer we wait for
  let reportUrl = null;
  let ready = false;

  const say = (text) => { status.textContent = text; };

  worker.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "ready") {
      ready = true;
      input.disabled = false;
      say(ui.batch_ready);
      root.dataset.state = "ready";
    } else if (message.type === "failed") {
      say(ui.batch_failed + message.message);
      root.dataset.state = "failed";
    } else if (message.id !== current) {
      // An answer to a file the user has since replaced.
    } else if (message.type === "progress") {
      bar.max = message.total;
      bar.value = message.done;
      say(format(ui.batch_progress, message));
    } else if (message.type === "result") {
      show(JSON.parse(message.text), message.report);
    } else if (message.type === "error") {
      fail(message.message);
    }
  });
  // The worker resolves URLs against its own script: hand it absolute ones.
  const absolute = (url) => new URL(url, document.baseURI).href;
  worker.postMessage({
    type: "start",
    pyodide: absolute(engineInfo.dataset.pyodide),
    wheels: engineInfo.dataset.wheels.trim().split(/\s+/).map(absolute),
  });

  function fail(text) {
    bar.hidden = true;
    say(ui.batch_error + text);
    root.dataset.state = "error";
  }

  async function screen(file) {
    if (!file || !ready) return;
    current += 1;
    const id = current;
    results.hidden = true;
    download.hidden = true;
    bar.hidden = false;
    bar.removeAttribute("value");
    root.dataset.state = "screening";
    say(format(ui.batch_reading, { name: file.name }));
    const data = await file.arrayBuffer();
    if (id !== current) return;
    worker.postMessage({ type: "screen", id, name: file.name, data, lang }, [data]);
    root.dataset.file = file.name;
  }

  function option(select, value, text) {
    const item = document.createElement("option");
    item.value = value;
    item.textContent = text;
    select.append(item);
  }

  function show(answer, report) {
    bar.hidden = true;
    if (answer.error) {
      fail(answer.error);
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
    fillRows(answer, () => {
      const errors = answer.rows.filter((r) => r.errors.length).length;
      say(format(ui.batch_done, { total: answer.rows.length, errors }));
      results.hidden = false;
      applyFilter();
      root.dataset.state = "done";
    });
  }

  // Rows are added in slices, one per frame, so that a long sheet never blocks the page.
  function fillRows(answer, done) {
    const body = table.tBodies[0];
    body.replaceChildren();
    const slice = 250;
    let at = 0;
    const step = () => {
      const fragment = document.createDocumentFragment();
      for (const row of answer.rows.slice(at, at + slice)) {
        const tr = document.createElement("tr");
        tr.dataset.verdicts = row.verdicts.join(" ");
        const th = document.createElement("th");
        th.scope = "row";
        th.textContent = row.row;
        tr.append(th);
        row.verdicts.forEach((verdict, i) => {
          const td = document.createElement("td");
          td.className = `bt-verdict bt-${verdict}`;
          td.dataset.programme = answer.programmes[i].id;
          const best = row.max_request[i];
          td.textContent = answer.verdicts[verdict] + (best !== null && verdict !== "ineligible" ? ` · ≤ ${best}` : "");
          tr.append(td);
        });
        const errors = document.createElement("td");
        errors.textContent = row.errors.join("\n");
        tr.append(errors);
        fragment.append(tr);
      }
      body.append(fragment);
      at += slice;
      if (at < answer.rows.length) requestAnimationFrame(step);
      else done();
    };
    step();
  }

  function applyFilter() {
    const programme = programmeFilter.value;
    const verdict = verdictFilter.value;
    const index = [...programmeFilter.options].slice(1).findIndex((o) => o.value === programme);
    let count = 0;
    const rows = table.tBodies[0].rows;
    for (const tr of rows) {
      const list = tr.dataset.verdicts.split(" ");
      const match = !verdict || (programme ? list[index] === verdict : list.includes(verdict));
      tr.hidden = !match;
      if (match) count += 1;
    }
    shown.textContent = format(ui.batch_shown, { shown: count, total: rows.length });
  }

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
