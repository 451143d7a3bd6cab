// Loads a claimreel player page in headless Chromium and reports, as JSON on stdout:
// the video's metadata (duration), every <track>'s load state and cue count, and the
// axe-core violations on each page named. Used by tests/browser/test_player_page.py.
//
// usage: node check_page.mjs PLAYER_URL [--axe URL]... [--screenshot PATH] [--no-audio-tracks]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const player = args[0];
const axeUrls = [];
let screenshot = null;
let audioTracks = true;  // --no-audio-tracks: a browser without the audioTracks API (Chromium's default)
for (let i = 1; i < args.length; i += 2) {
  if (args[i] === "--no-audio-tracks") { audioTracks = false; i -= 1; }
  else if (args[i] === "--axe") axeUrls.push(args[i + 1]);
  else if (args[i] === "--screenshot") screenshot = args[i + 1];
  else throw new Error(`unknown argument ${args[i]}`);
}
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--mute-audio",
         // the audioTracks API, which the player's audio description switch uses (Safari has it on)
         ...(audioTracks ? ["--enable-blink-features=AudioVideoTracks"] : [])],
});
const result = { requests: [], axe: {} };
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on("request", (r) => result.requests.push(r.url()));
  result.console = [];
  page.on("console", (m) => result.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => result.console.push(`pageerror: ${e.message}`));
  await page.goto(player, { waitUntil: "load" });
  result.video = await page.evaluate(() => new Promise((resolve) => {
    const v = document.querySelector("video");
    const done = () => resolve({ readyState: v.readyState, duration: v.duration,
                                 width: v.videoWidth, height: v.videoHeight,
                                 error: v.error && v.error.code });
    if (v.readyState >= 1) return done();
    v.addEventListener("loadedmetadata", done);
    v.addEventListener("error", done);
    setTimeout(done, 15000);
  }));
  result.tracks = await page.evaluate(() => Promise.all(
    Array.from(document.querySelectorAll("video track")).map((el) => new Promise((resolve) => {
      const done = () => resolve({ kind: el.kind, src: el.getAttribute("src"), default: el.default,
                                   readyState: el.readyState, mode: el.track.mode,
                                   cues: el.track.cues ? el.track.cues.length : null });
      if (el.track.mode === "disabled") el.track.mode = "hidden";  // a disabled track never loads
      if (el.readyState >= 2) return done();
      el.addEventListener("load", done);
      el.addEventListener("error", done);
      setTimeout(done, 10000);
    })),
  ));
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
  // Every text track the player ends up with (on file:// pages, the page's own fallback tracks).
  result.textTracks = await page.evaluate(() => Array.from(document.querySelector("video").textTracks).map(
    (t) => ({ kind: t.kind, label: t.label, mode: t.mode, cues: t.cues ? t.cues.length : null })));
  // Seeking from the transcript: the second time link moves the player there.
  result.seek = await page.evaluate(() => {
    const link = document.querySelectorAll("a.seek")[1];
    link.click();
    const v = document.querySelector("video");
    v.pause();
    return { wanted: parseFloat(link.dataset.start), currentTime: v.currentTime };
  });
  // The audio description switch: offered once the video's audio tracks are known; a press turns
  // the described track on (and the main one off) and says so in the live region.
  result.describe = await page.evaluate(() => new Promise((resolve) => {
    const button = document.getElementById("describe");
    if (!button) return resolve(null);
    const v = document.querySelector("video");
    const state = () => ({
      hidden: button.hidden, pressed: button.getAttribute("aria-pressed"),
      status: document.getElementById("describe-status").textContent,
      live: document.getElementById("describe-status").getAttribute("aria-live"),
      src: v.currentSrc,
      // (null on a file:// page, whose failed <track> elements the page replaced)
      captions: (document.querySelector('video track[kind="captions"]') || { getAttribute: () => null })
        .getAttribute("src"),
      tracks: v.audioTracks ? Array.from(v.audioTracks).map((t) => ({ kind: t.kind, label: t.label,
                                                                     language: t.language, enabled: t.enabled }))
                            : null,
    });
    const before = state();
    if (button.hidden) return resolve({ before });
    button.click();
    setTimeout(() => {
      const on = state();
      button.click();
      setTimeout(() => resolve({ before, on, off: state() }), 500);
    }, 500);
  }));
  for (const url of axeUrls) {
    await page.goto(url, { waitUntil: "load" });
    await page.addScriptTag({ content: axeSource });
    const report = await page.evaluate(() => window.axe.run(document));
    result.axe[url] = {
      passes: report.passes.length,
      violations: report.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                                  nodes: v.nodes.map((n) => n.html).slice(0, 3) })),
    };
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
