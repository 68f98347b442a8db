// The share link's QR code, drawn in the page as SVG from qrcode-generator (MIT, vendored from
// npm at a pinned version): no image service, and nothing leaves the browser.

import qrcode from "./qrcode.js";
import { el } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";

/** A <figure> with the QR code of `text` (error correction M, the smallest version that fits). */
export function qrFigure(text, caption) {
  const qr = qrcode(0, "M");
  qr.addData(text, "Byte");
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4; // the quiet zone the standard asks for, in modules
  let d = "";
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c + quiet} ${r + quiet}h1v1h-1z`;
  }
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${n + 2 * quiet} ${n + 2 * quiet}`);
  svg.setAttribute("class", "ck-qr");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", caption);
  svg.setAttribute("shape-rendering", "crispEdges");
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", "100%");
  background.setAttribute("height", "100%");
  background.setAttribute("fill", "#fff");
  const modules = document.createElementNS(SVG, "path");
  modules.setAttribute("d", d);
  modules.setAttribute("fill", "#000");
  svg.append(background, modules);
  svg.dataset.modules = String(n);
  return el("figure", { class: "ck-qr-figure" }, svg, el("figcaption", { text: caption }));
}
