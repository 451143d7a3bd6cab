// claimreel studio: small enhancements over pages that work without script.
// - After a form is sent, focus moves to the message saying what happened (it is read out).
// - A finding's "line N" link also puts the editor's cursor on that line, scrolled into view.
// - A job page follows its tasks through server-sent events (state, stage, percent, log, buttons).
// - The queue page follows every job the same way.
// - The scripts page fills in the rows of scripts still being checked, as each is done.
"use strict";

function focusMessage() {
  const message = document.querySelector("[data-focus]");
  if (!message) return;
  message.focus();
  // the browser may then focus the address's #fragment; the message still comes first
  window.addEventListener("load", () => {
    const active = document.activeElement;
    if (active === document.body || (location.hash && active === document.getElementById(location.hash.slice(1)))) {
      message.focus();
    }
  }, { once: true });
}

// How far down the textarea's content `offset` starts: long lines wrap, so the line number alone
// does not say. A hidden copy of the textarea, laid out alike, holds the text before it.
function offsetTop(textarea, offset) {
  const style = getComputedStyle(textarea);
  const mirror = document.createElement("div");
  for (const name of ["boxSizing", "width", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
                      "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "borderStyle",
                      "fontFamily", "fontSize", "fontWeight", "fontStyle", "lineHeight", "letterSpacing",
                      "wordSpacing", "tabSize", "textTransform", "textIndent", "direction"]) {
    mirror.style[name] = style[name];
  }
  Object.assign(mirror.style, { position: "absolute", visibility: "hidden", top: "0", left: "-9999px",
                                whiteSpace: "pre-wrap", overflowWrap: "break-word", height: "auto" });
  // the textarea's content box is narrower by its scrollbar
  mirror.style.width = (textarea.clientWidth + parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth)) + "px";
  mirror.textContent = textarea.value.slice(0, offset);
  const marker = document.createElement("span");
  marker.textContent = "\u200b";
  mirror.appendChild(marker);
  document.body.appendChild(mirror);
  const top = marker.offsetTop;  // from the padding edge, as the textarea's scrollTop counts
  mirror.remove();
  return top;
}

function selectLine(textarea, line) {
  const lines = textarea.value.split("\n");
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[line - 1] || "").length;
  textarea.focus({ preventScroll: true });
  textarea.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, offsetTop(textarea, start) - 2 * lineHeight);
}

function wireFindings() {
  const textarea = document.getElementById("text");
  if (!textarea) return;
  document.querySelectorAll(".findings a[href^='#L']").forEach((link) => {
    link.addEventListener("click", () => {
      const line = parseInt(link.getAttribute("href").slice(2), 10);
      // the listing row is shown by the anchor; the editor gets the cursor a moment later
      setTimeout(() => selectLine(textarea, line), 0);
    });
  });
}

function followJob() {
  const section = document.getElementById("job");
  if (!section || section.dataset.finished || !window.EventSource) return;
  const live = document.getElementById("live");
  const source = new EventSource(section.dataset.events);
  source.addEventListener("job", (event) => {
    const job = JSON.parse(event.data);
    const state = document.getElementById("job-state");
    if (state.textContent !== job.state) {
      state.textContent = job.state;
      state.className = "state " + job.state;
      live.textContent = "Job " + job.state;
    }
    for (const task of job.tasks) {
      const item = section.querySelector(`[data-task="${CSS.escape(task.id)}"]`);
      if (!item) continue;
      const field = (name) => item.querySelector(`[data-field="${name}"]`);
      field("state").textContent = task.state;
      field("state").className = "state " + task.state;
      field("stage").textContent = task.stage;
      field("bar").value = task.percent;
      field("bar").textContent = task.percent + "%";
      field("percent").textContent = Math.round(task.percent) + "%";
      field("error").textContent = task.error;
      field("error").hidden = !task.error;
      if (task.result) {
        field("result").hidden = false;
        field("result").querySelector("a").href = task.result;
      }
    }
    document.getElementById("cancel-form").hidden = !job.cancellable;
    document.getElementById("retry-form").hidden = !job.retryable;
    const log = document.getElementById("log");
    if (log.textContent !== job.log) {
      log.textContent = job.log;
      log.scrollTop = log.scrollHeight;
    }
  });
  source.addEventListener("end", () => {
    source.close();
    section.dataset.finished = "1";
  });
}

function followQueue() {
  const table = document.getElementById("jobs");
  if (!table || !window.EventSource) return;
  const body = table.tBodies[0];
  const live = document.getElementById("queue-live");
  const source = new EventSource(table.dataset.events);
  source.addEventListener("jobs", (event) => {
    const { rows, said } = JSON.parse(event.data);
    const known = new Map(Array.from(body.rows, (tr) => [tr.dataset.job, tr]));
    let before = body.firstElementChild;
    for (const row of rows) {
      let tr = known.get(row.id);
      known.delete(row.id);
      const fresh = document.createElement("tbody");
      fresh.innerHTML = row.html;  // rendered by the studio's own template, every value escaped
      if (!tr || tr.outerHTML !== fresh.firstElementChild.outerHTML) {
        const replacement = fresh.firstElementChild;
        if (tr) tr.replaceWith(replacement); else body.insertBefore(replacement, before);
        tr = replacement;
      } else if (tr !== before) {
        body.insertBefore(tr, before);  // an unchanged row keeps its node, and the focus in it
      }
      before = tr.nextElementSibling;
    }
    for (const gone of known.values()) gone.remove();
    table.hidden = rows.length === 0;
    document.getElementById("queue-empty").hidden = rows.length !== 0;
    if (said) live.textContent = said;
  });
}

function fillScripts() {
  const pending = Array.from(document.querySelectorAll("#scripts tr[data-pending]"));
  if (!pending.length || !window.EventSource) return;
  const query = pending.map((tr) => "name=" + encodeURIComponent(tr.dataset.pending)).join("&");
  const live = document.getElementById("checked");
  const source = new EventSource("/scripts/events?" + query);
  source.addEventListener("row", (event) => {
    const row = JSON.parse(event.data);
    const tr = pending.find((el) => el.dataset.pending === row.name);
    if (tr) {
      const body = document.createElement("tbody");
      body.innerHTML = row.html;  // rendered by the studio's own template, every value escaped
      tr.replaceWith(body.firstElementChild);
    }
    live.textContent = row.left ? `${row.left} still being checked` : "All scripts checked";
  });
  source.addEventListener("end", () => {
    source.close();
    const note = document.getElementById("pending-note");
    if (note) note.hidden = true;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  focusMessage();
  wireFindings();
  followQueue();
  followJob();
  fillScripts();
});
