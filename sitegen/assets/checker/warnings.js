// Plausibility warnings: answers that are valid but probably slips. They are shown beside the
// question and never change a verdict (the engine alone judges).

// 10 亿元 and more, typed in a 万元 box, is far beyond any programme of the guide: probably 元.
const YUAN_SUSPECT = 100000;

/** The first day a date answer (YYYY, YYYY-MM or YYYY-MM-DD) can mean, as YYYY-MM-DD. */
const earliest = (value) => (value + "-01-01").slice(0, 10);

/** [{field, message}] of the slips a profile suggests. */
export function warnings(profile, fields, texts, today = new Date().toISOString().slice(0, 10)) {
  const out = [];
  const project = (profile && profile.project) || {};
  const value = (path) => path.split(".").reduce((node, part) => (node && typeof node === "object" ? node[part] : undefined), profile);
  for (const field of fields) {
    const answer = value(field.path);
    if (field.type === "number" && typeof answer === "number" && answer >= YUAN_SUSPECT) {
      out.push({ field: field.path, message: texts.t("warn_yuan", { value: answer, yuan: (answer * 10000).toLocaleString() }) });
    }
    if (field.type === "date" && typeof answer === "string" && earliest(answer) > today) {
      out.push({ field: field.path, message: texts.t("warn_future") });
    }
    if (field.type === "list" && Array.isArray(answer)) {
      for (const [i, item] of answer.entries()) {
        for (const sub of field.item_fields || []) {
          const date = item && item[sub.path];
          if (sub.type === "date" && typeof date === "string" && earliest(date) > today) {
            out.push({ field: `${field.path}[${i}].${sub.path}`, message: texts.t("warn_future") });
          }
        }
      }
    }
  }
  const { consortium_units: units, local_consortium_enterprises: local } = project;
  if (typeof units === "number" && typeof local === "number" && local > units) {
    out.push({ field: "project.local_consortium_enterprises", message: texts.t("warn_local_units", { local, units }) });
  }
  const { self_funding: own, requested_funding: asked, total_investment: total } = project;
  if (typeof own === "number" && typeof asked === "number" && typeof total === "number" && own + asked > total) {
    out.push({ field: "project.self_funding", message: texts.t("warn_over_total", { sum: own + asked, total }) });
  }
  return out;
}
