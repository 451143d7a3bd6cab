// claimreel studio: small enhancements over pages that work without script.
// - A finding's "line N" link also puts the editor's cursor on that line.
// - A job page follows its tasks through server-sent events (state, stage, percent, log).
// - The scripts page fills in the rows of scripts still being checked, as each is done.
"use strict";

function selectLine(textarea, line) {
  const lines = textarea.value.split("\n");
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[line - 1] || "").length;
  textarea.focus();
  textarea.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
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
  wireFindings();
  followJob();
  fillScripts();
});
