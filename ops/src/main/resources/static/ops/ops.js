// The /ops page: asks for an OPS token, keeps it in this tab's sessionStorage, and shows the
// operations API (API.md "Operations"), refreshed every few seconds. No framework, no build step:
// every value goes into the page as text (textContent), never as markup.
"use strict";

const TOKEN_KEY = "parley.ops.token";
const REFRESH_MS = 3000;
const API = "/api/v1/ops";

const $ = (id) => document.getElementById(id);
let refreshTimer = null;
let sagaCursor = null; // the next page's cursor
let sagaPage = null; // the cursor of the page shown (null: the first)
let openSagaId = null;

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

class Refused extends Error {}

async function call(method, path) {
  const response = await fetch(API + path, {
    method,
    headers: { Authorization: "Bearer " + token(), Accept: "application/json" },
  });
  if (response.status === 401 || response.status === 403) {
    throw new Refused(response.status === 401
      ? "The token was not accepted (expired or invalid)."
      : "The token has no OPS role.");
  }
  if (!response.ok) {
    let detail = "";
    try {
      detail = (await response.json()).detail || "";
    } catch (ignored) { /* not a problem document */ }
    throw new Error(`${method} ${path}: ${response.status} ${detail}`.trim());
  }
  return response.status === 204 || response.status === 202 ? null : response.json();
}

function el(tag, text, attributes) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  return node;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = cell instanceof Node ? wrap(cell) : el("td", cell);
    tr.appendChild(td);
  }
  return tr;
}

function wrap(node) {
  if (node.tagName === "TD") return node;
  const td = document.createElement("td");
  td.appendChild(node);
  return td;
}

function when(iso) {
  return iso ? new Date(iso).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : "—";
}

function status(message) {
  $("status").textContent = message || "";
}

// Re-rendering replaces the buttons: keep the keyboard focus on the same action.
function keepingFocus(render) {
  const key = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.key : null;
  render();
  if (key) {
    const again = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }
}

function button(label, key, onClick, attributes) {
  const b = el("button", label, Object.assign({ type: "button", "data-key": key }, attributes));
  b.addEventListener("click", onClick);
  return b;
}

function confirmThen(text, okLabel, action) {
  const dialog = $("confirm");
  $("confirm-text").textContent = text;
  $("confirm-ok").textContent = okLabel;
  dialog.returnValue = "";
  dialog.onclose = () => {
    if (dialog.returnValue === "ok") action();
  };
  dialog.showModal();
  $("confirm-cancel").focus();
}

// ---- processors

function renderProcessors(processors) {
  const body = $("processors").querySelector("tbody");
  body.replaceChildren();
  for (const p of processors) {
    const name = el("td");
    name.appendChild(el("strong", p.name));
    name.appendChild(el("div", p.type, { class: "muted" }));

    const segments = el("ul", null, { class: "plain" });
    if (p.segments.length === 0) segments.appendChild(el("li", "no segments yet", { class: "muted" }));
    for (const s of p.segments) {
      const item = el("li", `#${s.segment} ${s.owner || "no owner"} · position ${s.position} · lag ${s.lag} `);
      item.appendChild(el("span", s.state, { class: "state state-" + s.state }));
      if (s.error) item.appendChild(el("span", " " + s.error, { class: "muted" }));
      segments.appendChild(item);
    }

    const replay = el("td");
    if (p.replay) {
      const percent = Math.round(p.replay.progress * 100);
      const bar = el("progress", null, {
        max: "100", value: String(percent), "aria-label": `Replay of ${p.name}`,
        "aria-valuetext": `${percent}%`,
      });
      replay.appendChild(bar);
      const eta = p.replay.etaSeconds == null ? "ETA unknown" : `ETA ${p.replay.etaSeconds} s`;
      replay.appendChild(el("div", `${percent}% · ${Math.max(p.replay.position, 0)} of ${p.replay.head} · ${eta}`,
        { class: "replay-text" }));
    } else {
      replay.textContent = "—";
    }

    const action = el("td");
    if (p.replayable) {
      action.appendChild(button("Replay", "replay:" + p.name, () =>
        confirmThen(
          `Replay ${p.name}? Its tables are cleared and rebuilt from the whole event store; `
            + "reads show partial data until it finishes.",
          "Replay", () => replayProcessor(p.name)),
        { "aria-label": "Replay " + p.name }));
      action.querySelector("button").disabled = Boolean(p.replay);
    } else {
      action.appendChild(el("span", p.type === "saga" ? "saga: not replayed" : "not replayable",
        { class: "muted" }));
    }

    const tr = row([name, wrap(segments), el("td", p.head, { class: "num" }), replay, action]);
    tr.dataset.processor = p.name;
    body.appendChild(tr);
  }
}

async function replayProcessor(name) {
  try {
    await call("POST", `/processors/${encodeURIComponent(name)}/replay`);
    status(`Replay of ${name} started.`);
  } catch (e) {
    failed(e);
  }
  refresh();
}

// ---- sagas

function renderSagas(page) {
  const types = $("saga-types").querySelector("tbody");
  types.replaceChildren();
  for (const t of page.types) {
    types.appendChild(row([t.type, el("td", t.active, { class: "num" }), el("td", t.ended, { class: "num" })]));
  }
  const body = $("sagas").querySelector("tbody");
  body.replaceChildren();
  for (const s of page.items) {
    body.appendChild(row([
      el("code", s.sagaId), s.type, when(s.startedAt) + (s.endedAt ? ` (ended ${when(s.endedAt)})` : ""),
      list(associations(s)),
      list((s.deadlines || []).map((d) => `${d.name} at ${when(d.dueAt)}`)),
      button("Inspect", "inspect:" + s.sagaId, () => inspectSaga(s.sagaId, true),
        { "aria-label": "Inspect saga " + s.sagaId }),
    ]));
  }
  if (page.items.length === 0) body.appendChild(row([el("td", "No saga instance.", { colspan: "6" })]));
  $("sagas-more").hidden = !page.nextCursor;
  $("sagas-first").hidden = !sagaPage;
  sagaCursor = page.nextCursor;
}

// Values that could name a person arrive pseudonymised (hmac:…); ids of things in clear.
function associations(saga) {
  return (saga.associations || []).map((a) => `${a.key} = ${a.value}`);
}

function list(values) {
  const ul = el("ul", null, { class: "plain" });
  for (const v of values) ul.appendChild(el("li", v));
  if (values.length === 0) ul.appendChild(el("li", "—", { class: "muted" }));
  return ul;
}

async function inspectSaga(sagaId, moveFocus) {
  try {
    const saga = await call("GET", `/sagas/${encodeURIComponent(sagaId)}`);
    openSagaId = sagaId;
    $("saga-detail-title").textContent = `${saga.type} ${saga.sagaId}`;
    const fields = $("saga-detail-fields");
    fields.replaceChildren();
    const add = (term, value) => {
      fields.appendChild(el("dt", term));
      const dd = el("dd");
      dd.appendChild(value instanceof Node ? value : document.createTextNode(value));
      fields.appendChild(dd);
    };
    add("Started", when(saga.startedAt));
    add("Ended", when(saga.endedAt));
    add("Associations", list(associations(saga)));
    add("Pending deadlines", list((saga.deadlines || []).map((d) => `${d.name} at ${when(d.dueAt)}`)));
    const timeline = $("saga-timeline").querySelector("tbody");
    timeline.replaceChildren();
    for (const e of saga.timeline || []) {
      timeline.appendChild(row([el("td", e.globalIndex, { class: "num" }), e.type, when(e.handledAt)]));
    }
    $("saga-detail").hidden = false;
    if (moveFocus) $("saga-detail").focus();
  } catch (e) {
    failed(e);
  }
}

// ---- dead letters

function renderDeadLetters(page) {
  const body = $("dead-letters").querySelector("tbody");
  body.replaceChildren();
  for (const d of page.items) {
    const event = el("td");
    event.appendChild(el("div", d.eventType));
    event.appendChild(el("div", `global index ${d.globalIndex ?? "—"}`, { class: "muted" }));
    const cause = el("td");
    cause.appendChild(el("div", d.cause ? d.cause.type : "—"));
    if (d.cause && d.cause.message) cause.appendChild(el("div", d.cause.message, { class: "muted" }));
    const actions = el("td");
    actions.appendChild(button("Retry", "retry:" + d.id, () => deadLetter("POST", d, "/retry"),
      { "aria-label": `Retry dead letter ${d.id}` }));
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(button("Evict", "evict:" + d.id, () =>
      confirmThen(`Evict this ${d.eventType} from ${d.processor}? It will never be handled.`, "Evict",
        () => deadLetter("DELETE", d, "")),
      { "aria-label": `Evict dead letter ${d.id}` }));
    body.appendChild(row([d.processor, el("code", d.sequenceId), event, cause,
      `${when(d.enqueuedAt)} (last tried ${when(d.lastTouchedAt)})`,
      el("td", d.retries, { class: "num" }), actions]));
  }
  if (page.items.length === 0) body.appendChild(row([el("td", "No dead letters.", { colspan: "7" })]));
}

async function deadLetter(method, letter, suffix) {
  try {
    await call(method, `/dead-letters/${encodeURIComponent(letter.id)}${suffix}`);
    status(method === "DELETE" ? "Dead letter evicted." : "Dead letter retried.");
  } catch (e) {
    failed(e);
  }
  refresh();
}

// ---- the loop

function failed(error) {
  if (error instanceof Refused) {
    signOut(error.message + " Sign in with an OPS token.");
  } else {
    status(error.message);
  }
}

async function refresh() {
  if (!token()) return;
  const sections = [
    ["processors", "/processors", renderProcessors],
    ["sagas", "/sagas?limit=20" + (sagaPage ? "&after=" + encodeURIComponent(sagaPage) : ""), renderSagas],
    ["dead-letters", "/dead-letters", renderDeadLetters],
  ];
  const results = await Promise.allSettled(sections.map(([, path]) => call("GET", path)));
  const refused = results.find((r) => r.status === "rejected" && r.reason instanceof Refused);
  if (refused) {
    failed(refused.reason);
    return;
  }
  const problems = [];
  keepingFocus(() => {
    results.forEach((result, i) => {
      const [name, , render] = sections[i];
      if (result.status === "fulfilled") render(result.value);
      else problems.push(`${name}: ${result.reason.message}`);
    });
  });
  if (openSagaId) inspectSaga(openSagaId, false);
  $("console").hidden = false;
  $("sign-in").hidden = true;
  $("sign-out").hidden = false;
  $("refreshed").textContent = "Updated " + new Date().toLocaleTimeString();
  $("refresh-problems").textContent =
    problems.length > 0 ? "Could not refresh " + problems.join("; ") : "";
  if ($("status").textContent.startsWith("Loading")) status("");
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(refreshTimer);
  refreshTimer = null;
  openSagaId = null;
  for (const id of ["processors", "saga-types", "sagas", "saga-timeline", "dead-letters"]) {
    $(id).querySelector("tbody").replaceChildren();
  }
  $("console").hidden = true;
  $("saga-detail").hidden = true;
  $("sign-in").hidden = false;
  $("sign-out").hidden = true;
  $("refreshed").textContent = "";
  $("refresh-problems").textContent = "";
  status(message || "");
  $("token").focus();
}

function start() {
  status("Loading…");
  refresh();
  refreshTimer = setInterval(refresh, REFRESH_MS);
}

document.addEventListener("DOMContentLoaded", () => {
  $("sign-in").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    $("token").value = "";
    start();
  });
  $("sign-out").addEventListener("click", () => signOut("Signed out."));
  $("saga-detail-close").addEventListener("click", () => {
    openSagaId = null;
    $("saga-detail").hidden = true;
  });
  $("sagas-more").addEventListener("click", () => {
    sagaPage = sagaCursor;
    refresh();
  });
  $("sagas-first").addEventListener("click", () => {
    sagaPage = null;
    refresh();
  });
  if (token()) start();
  else $("token").focus();
});
