// claimreel studio, the form editor: enhancements over a form that works without script.
// - Findings beside each field as the user types (the server checks the unsaved form).
// - Items added, removed and moved in place (no renumbering: the server reads items in page order).
// - The scene of the field in focus drawn again a moment after each change, in 16:9 and 9:16.
// - A photo chosen in a card is uploaded at once and its path written into the field.
// - The rating's choices and meter follow the theme field as it is typed (the server's markup).
// - The saved script's caption findings, when not known as the page was served, are asked for once.
"use strict";

(() => {
  const form = document.getElementById("script-form");
  const status = document.getElementById("status");
  if (status && status.textContent.trim()) status.focus();
  if (!form) return;
  const base = form.dataset.base;
  const headers = { "X-CSRF-Token": form.dataset.csrf };
  let counter = 0;
  let focusName = "";

  function say(text) {
    status.innerHTML = "";
    const p = document.createElement("p");
    p.className = "ok";
    p.textContent = text;
    status.appendChild(p);
  }

  function formData() {
    const data = new FormData(form);
    for (const [key, value] of Array.from(data.entries())) {
      if (value instanceof File) data.delete(key);
    }
    data.delete("op");
    return data;
  }

  function debounce(fn, ms) {
    let timer = null;
    return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  // -- findings -------------------------------------------------------------------------------
  let findingsRun = 0;
  async function refreshFindings() {
    const run = ++findingsRun;
    const response = await fetch(`${base}/findings`, { method: "POST", body: formData(), headers });
    if (!response.ok || run !== findingsRun) return;
    const found = await response.json();
    document.querySelectorAll(".field-findings").forEach((list) => {
      const messages = found.fields[list.dataset.for] || [];
      list.replaceChildren(...messages.map((m) => { const li = document.createElement("li"); li.textContent = m; return li; }));
      const folded = list.closest("details");
      if (messages.length && folded) folded.open = true;  // a finding is never hidden in a folded group
      const input = document.getElementById(list.id.replace(/-findings$/, ""));
      if (input && input.matches("input, select, textarea")) {
        if (messages.length) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      }
    });
    const other = document.getElementById("other-findings");
    other.replaceChildren(...found.other.map((m) => { const li = document.createElement("li"); li.textContent = m; return li; }));
    const count = document.getElementById("findings-count");
    const said = found.count ? `${found.count} finding(s): each is shown beside its field.`
      : "No findings: the script validates.";
    if (count.textContent !== said) count.textContent = said;  // announced only when it changes
  }
  const findingsSoon = debounce(refreshFindings, 150);  // findings within 300 ms of the last key (docs/studio.md)

  // -- the scene being edited -----------------------------------------------------------------
  let stillsRun = 0;
  async function refreshStills() {
    if (!focusName) return;
    const run = ++stillsRun;
    const data = formData();
    data.append("focus", focusName);
    const note = document.getElementById("preview-note");
    if (!note.textContent.startsWith("Showing")) note.textContent = "Drawing the scene…";
    const response = await fetch(`${base}/stills`, { method: "POST", body: data, headers });
    if (!response.ok || run !== stillsRun) return;
    const drawn = await response.json();
    if (drawn.message) { note.textContent = drawn.message; return; }
    note.textContent = `Showing the ${drawn.scene}.`;
    for (const [fmt, url] of Object.entries(drawn.stills)) {
      const img = document.getElementById(`still-${fmt}`);
      if (!img) continue;
      img.alt = `The ${drawn.scene} in ${fmt}, as the video draws it`;
      img.src = url;
      img.hidden = false;
    }
  }
  const stillsSoon = debounce(refreshStills, 300);

  function placeOf(el) {
    // the field's own name, or for a rating's radio or a checkbox group, its group's
    return el.name ? el.name.replace(/\.upload$/, "").replace(/!$/, "") : "";
  }

  form.addEventListener("focusin", (event) => {
    const name = placeOf(event.target);
    if (!name) return;
    const scene = (n) => (n.match(/^body\.[^.]+/) || [n.split(".")[0]])[0];
    const changed = scene(name) !== scene(focusName);
    focusName = name;
    if (changed) stillsSoon();
  });
  form.addEventListener("input", (event) => {
    if (event.target.name === "theme") scaleSoon();
    findingsSoon(); stillsSoon();
  });
  form.addEventListener("change", (event) => {
    if (event.target.matches("input[type=file][data-photo-for]")) upload(event.target);
    if (event.target.matches(".rating input[type=radio]")) drawMeter(event.target);
    findingsSoon(); stillsSoon();
  });

  function drawMeter(radio) {
    const meter = form.querySelector(`svg[data-meter="${CSS.escape(radio.name)}"]`);
    if (!meter) return;
    meter.querySelectorAll("[data-mark]").forEach((r) => r.setAttribute("visibility", r.dataset.mark === radio.value ? "visible" : "hidden"));
    meter.querySelector("title").textContent = `The verdict meter: ${radio.value}`;
  }

  // -- caption findings of the saved script ---------------------------------------------------
  async function loadCaptions() {
    const holder = document.getElementById("captions");
    if (!holder || !holder.dataset.pending) return;
    const response = await fetch(holder.dataset.url);
    if (!response.ok) {
      document.getElementById("caption-status").textContent =
        "The captions could not be checked here; the script's page says why.";
      return;
    }
    const found = await response.json();
    const item = (text) => {
      const li = document.createElement("li");
      const label = document.createElement("strong");
      label.textContent = "Caption:";
      li.append(label, ` ${text}`);
      return li;
    };
    if (!found.stale) {
      document.querySelectorAll(".caption-findings").forEach((list) => {
        list.replaceChildren(...(found.fields[list.dataset.captions] || []).map(item));
      });
      document.getElementById("other-captions").replaceChildren(...found.other.map(item));
    }
    document.getElementById("caption-status").textContent = found.status;
    delete holder.dataset.pending;
  }
  loadCaptions();

  // -- the theme's scale ---------------------------------------------------------------------
  let scaleRun = 0;
  async function refreshScale() {
    const theme = form.elements.namedItem("theme");
    const shown = form.querySelector(".scale-meter");
    if (!theme || !shown) return;
    const asked = theme.value.trim() || "default";
    if (asked === shown.dataset.theme) return;
    const run = ++scaleRun;
    const chosen = shown.querySelector("input[type=radio]:checked");
    const query = new URLSearchParams({ theme: asked, rating: chosen ? chosen.value : "" });
    const response = await fetch(`${base}/scale?${query}`);
    if (!response.ok || run !== scaleRun) return;
    const answer = await response.json();
    if (answer.theme === shown.dataset.theme) return;  // an unknown name shows the default theme's, as saving would
    const holder = document.createElement("div");
    holder.innerHTML = answer.html;  // the form's own macro: the same markup a save would show
    shown.replaceWith(holder.firstElementChild);
    say(`The rating now offers the ${answer.theme} theme's scale: ${answer.scale.join(", ")} (not saved yet).`);
  }
  const scaleSoon = debounce(refreshScale, 300);

  // -- photos ---------------------------------------------------------------------------------
  async function upload(input) {
    const file = input.files[0];
    if (!file) return;
    const data = new FormData();
    data.append("photo", file);
    const response = await fetch(`${base}/photo`, { method: "POST", body: data, headers });
    const answer = await response.json();
    if (answer.error) { say(`Photo not added: ${answer.error}`); status.firstChild.className = "bad"; status.focus(); return; }
    const target = document.getElementById(input.dataset.photoFor);
    target.value = answer.path;
    input.value = "";
    say(`Uploaded ${answer.path} and put it in the field (not saved yet).`);
    findingsSoon(); stillsSoon();
  }

  // -- items ----------------------------------------------------------------------------------
  function renumber(list) {
    list.querySelectorAll(":scope > ol.items > li.item").forEach((li, i) => {
      const num = li.querySelector(":scope > fieldset > legend .num");
      if (num) num.textContent = String(i + 1);
    });
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-op]");
    if (!button) return;
    event.preventDefault();
    const op = button.dataset.op;
    if (op === "add") {
      const list = button.closest("fieldset[data-list]");
      const template = document.getElementById(button.dataset.template);
      const holder = document.createElement("div");
      // the studio's own markup, this list's new-item index replaced (the lists inside keep theirs)
      holder.innerHTML = template.innerHTML.replaceAll(button.dataset.token, `n${++counter}`);
      const li = holder.firstElementChild;
      list.querySelector(":scope > ol.items").appendChild(li);
      renumber(list);
      const first = li.querySelector("input:not([type=hidden]), textarea, select");
      if (first) first.focus();
      say(`${button.textContent.trim().replace(/^Add/, "Added")} (not saved yet).`);
    } else {
      const li = button.closest("li.item");
      const list = li.closest("fieldset[data-list]");
      const what = li.querySelector(":scope > fieldset > legend .what").textContent;
      if (op === "remove") {
        const next = li.nextElementSibling || li.previousElementSibling;
        li.remove();
        (next ? next.querySelector("button[data-op]") : list.querySelector(".add-buttons button")).focus();
        say(`Removed the ${what.toLowerCase()} (not saved yet).`);
      } else {
        const sibling = op === "up" ? li.previousElementSibling : li.nextElementSibling;
        if (sibling) {
          if (op === "up") sibling.before(li); else sibling.after(li);
          button.focus();
        }
        say(`Moved the ${what.toLowerCase()} ${op} (not saved yet).`);
      }
      renumber(list);
    }
    findingsSoon(); stillsSoon();
  });
})();
