/* Small DOM helpers for the boot screens and the interface's screens (no rule, no state):
 * boot.js and app.js each bundle the helpers they use (a few kB; the counter of nextId is
 * app.js's own, boot's screens do not use it).
 *
 * Safety: text always goes in with textContent (never innerHTML): pupil names may contain "<"
 * and must render as text. No inline handlers, no inline styles (the page's CSP forbids them).
 */
const PROPERTIES = new Set(["checked", "disabled", "value", "selected", "multiple", "hidden"]);

/** el("button", {class: "x", on: {click: f}, "aria-label": "…"}, "text", child, [more]) */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "on") {
      for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    } else if (key === "class") {
      node.className = value;
    } else if (key === "text") {
      node.textContent = value;
    } else if (PROPERTIES.has(key)) {
      node[key] = value;
    } else {
      node.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(node, c);
  } else if (typeof child === "string" || typeof child === "number") {
    node.appendChild(document.createTextNode(String(child)));
  } else {
    node.appendChild(child);
  }
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

let uid = 0;
function nextId(prefix) {
  uid += 1;
  return `${prefix || "f"}-${uid}`;
}

/** A labelled input; returns {row, input}. */
function field(label, attrs, hint) {
  const id = (attrs && attrs.id) || nextId("champ"); // the label must name the id used
  const input = el("input", { id, type: "text", ...attrs });
  let hintNode = null;
  if (hint) {
    const hid = `${id}-aide`;
    hintNode = el("span", { class: "aide", id: hid, text: hint });
    input.setAttribute("aria-describedby", hid);
  }
  const row = el("div", { class: "champ" }, el("label", { for: id, text: label }), input, hintNode);
  return { row, input };
}

function checkbox(label, attrs) {
  const id = (attrs && attrs.id) || nextId("case"); // the label must name the id used
  const input = el("input", { id, type: "checkbox", ...attrs });
  const row = el("div", { class: "case" }, input, el("label", { for: id, text: label }));
  return { row, input };
}

/** A fieldset of checkboxes: items [{label, checked, value, attrs}]; returns {fieldset,
 *  values()} (the values of the ticked items, in order). */
function tickList(legend, items) {
  const fieldset = el("fieldset", { class: "liste-cases" }, el("legend", { text: legend }));
  const inputs = items.map((item) => {
    const c = checkbox(item.label, { checked: !!item.checked, ...item.attrs });
    fieldset.appendChild(c.row);
    return [c.input, item.value];
  });
  return { fieldset, values: () => inputs.filter(([i]) => i.checked).map(([, v]) => v) };
}

/** A labelled <select>; options: [{value, text, selected}]. Returns {row, select}. */
function select(label, attrs, options) {
  const id = (attrs && attrs.id) || nextId("choix"); // the label must name the id used
  const sel = el("select", { id, ...attrs });
  for (const o of options || []) sel.appendChild(el("option", o));
  return { row: el("div", { class: "champ" }, el("label", { for: id, text: label }), sel), select: sel };
}

/**
 * A file input whose visible part is French whatever the browser's language: the native
 * control stays (keyboard, drag-and-drop, tests) but is visually hidden behind a
 * "Choisir un fichier…" button and the chosen file's name — unless opts.name is false: the
 * caller says which file is chosen (a file dropped, or kept from an earlier step).
 */
function filePicker(input, opts = {}) {
  input.classList.add("fichier-natif");
  const name = opts.name === false ? null : el("span", { class: "nom-fichier", text: "Aucun fichier choisi" });
  if (name) input.addEventListener("change", () => {
    const f = input.files && input.files[0];
    name.textContent = f ? f.name : "Aucun fichier choisi";
  });
  return el("span", { class: "choix-fichier" }, input,
    el("label", { for: input.id, class: "bouton-fichier", "aria-hidden": "true",
                  text: "Choisir un fichier…" }), name);
}

function button(label, onClick, attrs) {
  const b = el("button", { type: "button", text: label, ...attrs });
  if (onClick) b.addEventListener("click", onClick);
  return b;
}

function heading(text) {
  return el("h2", { text, tabindex: "-1" });
}

/** A table: headers (strings), rows (arrays of <td> nodes or strings), attrs for <table>. */
function table(attrs, headers, rows, caption) {
  const t = el("table", { class: "tableau", ...attrs },
    caption ? el("caption", { text: caption }) : null,
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col", text: h })))));
  const tb = el("tbody");
  for (const r of rows) {
    tb.appendChild(Array.isArray(r) ? el("tr", {}, r.map((c) => (typeof c === "string" ? el("td", { text: c }) : c))) : r);
  }
  t.appendChild(tb);
  return t;
}

/** The bytes of a File, as a Uint8Array. */
async function readFile(file) {
  return new Uint8Array(await file.arrayBuffer());
}

/** Save `bytes` (a Uint8Array) as a file named `filename` (Blob + <a download>). */
function download(bytes, filename, mime) {
  const blob = new Blob([bytes], { type: mime || "application/octet-stream" });
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: filename, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

export {
  el, append, clear, nextId, field, checkbox, tickList, select, filePicker, button, heading, table,
  readFile, download,
};
