// Drives the claimreel studio in headless Chromium with the keyboard alone and reports, as JSON
// on stdout: the finding shown at the broken line, whether the fix validated, the progress seen
// until the preview was done, the video's currentTime while playing, the social pack downloaded,
// the cancelled task's state, and axe-core's violations on every page. Used by test_studio.py.
//
// usage: node studio_flow.mjs BASE_URL --line N --fixed TEXT --downloads DIR [--screenshots DIR]
import { axeViolations, downloaded, launch, sleep, watchedPage } from "./chromium.mjs";

const args = process.argv.slice(2);
const base = args[0].replace(/\/$/, "");
const opt = (name) => { const i = args.indexOf(name); return i > 0 ? args[i + 1] : null; };
const brokenLine = parseInt(opt("--line"), 10);
const fixedText = opt("--fixed");
const downloads = opt("--downloads");
const shots = opt("--screenshots");

const browser = await launch(["--mute-audio", "--autoplay-policy=no-user-gesture-required"]);
const result = { axe: {}, requests: [], console: [], steps: [], failed: [] };
try {
  const page = await watchedPage(browser, result, downloads);

  const step = (name) => result.steps.push(name);
  async function axe(name) {
    result.axe[name] = { violations: await axeViolations(page), url: page.url() };
    if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  }
  // Tab (forwards) until the focused element matches; the keyboard is the only way to move.
  async function tabTo(selector, text = null) {
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press("Tab");
      const hit = await page.evaluate((sel, txt) => {
        const el = document.activeElement;
        return !!el && el.matches(sel) && (txt === null || el.textContent.trim().includes(txt));
      }, selector, text);
      if (hit) return;
    }
    throw new Error(`Tab never reached ${selector} ${text || ""} on ${page.url()}`);
  }
  async function enterAndWait() {
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
  }

  // 1. The scripts page, then the broken script by keyboard.
  await page.goto(`${base}/scripts`, { waitUntil: "load" });
  result.scriptsPending = await page.evaluate(() => document.querySelectorAll("tr[data-pending]").length);
  await page.waitForFunction(() => !document.querySelector("tr[data-pending]"), { timeout: 60000 });
  result.scriptsRow = await page.evaluate(() => document.querySelector("#scripts tbody tr").textContent.replace(/\s+/g, " ").trim());
  await axe("scripts");
  await tabTo("a[href='/scripts/small-check.yaml']");
  await enterAndWait();
  step("script page");
  result.errorAtLine = await page.evaluate((n) => {
    const row = document.getElementById(`L${n}`);
    return row ? Array.from(row.querySelectorAll(".at-line")).map((p) => p.textContent.trim()) : null;
  }, brokenLine);
  await axe("script-broken");

  // 2. Fix the line in the editor and save.
  await tabTo("#text");
  await page.keyboard.down("Control"); await page.keyboard.press("Home"); await page.keyboard.up("Control");
  for (let i = 1; i < brokenLine; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("End");
  await page.keyboard.down("Shift"); await page.keyboard.press("Home"); await page.keyboard.up("Shift");
  await page.keyboard.type(fixedText);
  await tabTo("form.edit button[type=submit]");
  await enterAndWait();
  step("saved");
  result.fixed = await page.evaluate(() => ({
    validates: document.body.textContent.includes("Validates."),
    saved: document.body.textContent.includes("Saved and checked again."),
    flagged: document.querySelectorAll("tr.flagged").length,
    boards: Array.from(document.querySelectorAll(".board img")).map((i) => i.naturalWidth),
  }));
  await axe("script-valid");

  // 3. Render a preview with its cut, by keyboard.
  await tabTo("a.button", "Render or preview");
  await enterAndWait();
  await axe("render");
  await tabTo("input[name=cut][value=claim-verdict]");
  await page.keyboard.press("Space");
  await tabTo("form.render button[type=submit]");
  await enterAndWait();
  step("submitted preview");
  const seen = [];
  const deadline = Date.now() + 240000;
  for (;;) {
    const now = await page.evaluate(() => ({
      job: document.getElementById("job-state").textContent.trim(),
      percent: document.querySelector("progress").value,
      stage: document.querySelector("[data-field=stage]").textContent.trim(),
      result: !document.querySelector("[data-field=result]").hidden,
    }));
    if (!seen.length || JSON.stringify(seen[seen.length - 1]) !== JSON.stringify(now)) seen.push(now);
    if (["done", "failed", "cancelled"].includes(now.job) && (now.job !== "done" || now.result)) break;
    if (Date.now() > deadline) throw new Error("the preview did not finish: " + JSON.stringify(seen.slice(-3)));
    await sleep(200);
  }
  result.progress = seen;
  await axe("job-done");

  // 4. Open the output and play the video.
  await tabTo("[data-field=result] a");
  await enterAndWait();
  step("output page");
  await page.evaluate(() => new Promise((resolve) => {
    const v = document.querySelector("video");
    if (v.readyState >= 1) return resolve();
    v.addEventListener("loadedmetadata", resolve);
    v.addEventListener("error", resolve);
    setTimeout(resolve, 15000);
  }));
  await axe("output");
  await tabTo("video");
  await page.keyboard.press("Space");  // the focused player's own play key
  const t0 = await page.evaluate(() => document.querySelector("video").currentTime);
  // Playing: watched until it is 0.3 s on (what test_studio.py checks), for at most 1.5 s.
  const playing = Date.now() + 1500;
  while (Date.now() < playing
         && await page.evaluate(() => document.querySelector("video").currentTime) <= t0 + 0.3) await sleep(50);
  result.video = await page.evaluate((before) => {
    const v = document.querySelector("video");
    return { before, after: v.currentTime, paused: v.paused, error: v.error && v.error.code, duration: v.duration };
  }, t0);
  await page.evaluate(() => document.querySelector("video").pause());

  // 5. The social pack: whole video and the cut, in 16x9.
  await tabTo("form.pack input[value=claim-verdict]");
  await page.keyboard.press("Space");
  await tabTo("form.pack button[type=submit]");
  await page.keyboard.press("Enter");
  result.pack = await downloaded(downloads, ".zip");
  step("pack downloaded");

  // 6. Queue page by the navigation, then a final render cancelled from its job page.
  await tabTo("nav a[href='/queue']");
  await enterAndWait();
  await axe("queue");
  await tabTo("nav a[href='/render']");
  await enterAndWait();
  await tabTo("input[name=kind][value=preview]");  // a radio group is one tab stop; arrows pick
  await page.keyboard.press("ArrowDown");
  for (const fmt of ["9x16", "1x1", "4x5"]) {
    await tabTo(`input[name=format][value='${fmt}']`);
    await page.keyboard.press("Space");
  }
  await tabTo("form.render button[type=submit]");
  await enterAndWait();
  step("submitted final");
  result.beforeCancel = await page.evaluate(() => document.getElementById("job-state").textContent.trim());
  await tabTo("#cancel");
  await enterAndWait();
  const cancelDeadline = Date.now() + 30000;
  for (;;) {
    const state = await page.evaluate(() => document.querySelector("[data-field=state]").textContent.trim());
    if (state === "cancelled" || Date.now() > cancelDeadline) { result.cancelled = state; break; }
    await sleep(200);
  }
  await axe("job-cancelled");
  await tabTo("nav a[href='/outputs']");
  await enterAndWait();
  await axe("outputs");

  // 7. A new fact-check from the scripts page, by the keyboard: a title, the theme kept, created.
  await tabTo("nav a[href='/scripts']");
  await enterAndWait();
  await tabTo("a[href='/new']");
  await enterAndWait();
  await axe("new");
  await tabTo("#title");
  await page.keyboard.type("Bridge claim checked");
  await tabTo("form.new-script button[type=submit]");
  await enterAndWait();
  result.created = await page.evaluate(() => ({
    path: location.pathname, status: (document.querySelector("[role=status]") || {}).textContent || "" }));
  await axe("script-created");
  step("done");
} catch (error) {
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
