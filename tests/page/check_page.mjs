// Opens a roundtable index.html in Debian's Chromium (headless), collects console errors,
// switches the "your time" control, reads a session's time, and saves screenshots.
// Usage: node check_page.mjs PAGE.html ZONE SESSION_ID OUT_DIR
// Prints JSON: {"errors": [...], "before": TEXT, "after": TEXT, "title": TEXT, "phone_after": TEXT,
//               "phone_scroll_width": N, "phone_width": N, "options": [VALUE...],
//               "when": [TEXT...] (the session's "when is it for you?" lines in ZONE),
//               "rows": [{"zone", "local", "cells": [HOUR...], "next": [HOUR...]}] (its grid),
//               "body": TEXT (the whole page's text after switching)}
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [page_path, zone, session, out_dir] = process.argv.slice(2);
const url = pathToFileURL(resolve(page_path)).href;
const profile = mkdtempSync(join(tmpdir(), "rt-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1280, height: 900 },
  timezoneId: "Europe/Madrid",
});
const errors = [];
const result = { errors };
async function visit(viewport, shot) {
  const page = await browser.newPage();
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) errors.push("network request: " + r.url()); });
  await page.setViewportSize(viewport);
  await page.goto(url, { waitUntil: "load" });
  const time = page.locator(`#session-${session}`).locator("xpath=..").locator("time").first();
  const before = await time.textContent();
  await page.selectOption("#tz", zone);
  const after = await time.textContent();
  await page.screenshot({ path: join(out_dir, shot), fullPage: false });
  await page.screenshot({ path: join(out_dir, shot.replace(".png", "-full.png")), fullPage: true });
  const title = await page.locator("h1").textContent();
  const details = await page.evaluate((id) => {
    const options = Array.from(document.querySelectorAll("#tz option")).map((o) => o.value);
    const box = Array.from(document.querySelectorAll(".when-session")).find((b) => b.querySelector(`a[href="#session-${id}"]`));
    const when = box ? Array.from(box.querySelectorAll("li")).map((li) => li.textContent) : null;
    const section = document.getElementById(`session-${id}`).parentElement;
    const rows = Array.from(section.querySelectorAll("tr[data-zone]")).map((tr) => {
      const tds = Array.from(tr.querySelectorAll("td"));
      const cells = [];
      const next = [];
      tds.forEach((td, h) => {
        if (/inside|outside|night/.test(td.className)) { cells.push(h); }
        if (/next/.test(td.className)) { next.push(h); }
      });
      return { zone: tr.getAttribute("data-zone"), local: tr.querySelector(".local").textContent, cells, next };
    });
    return { options, when, rows, body: document.body.innerText };
  }, session);
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  await page.close();
  return { before, after, title, widths, details };
}
const desktop = await visit({ width: 1280, height: 900 }, "desktop.png");
result.before = desktop.before;
result.after = desktop.after;
result.title = desktop.title;
result.options = desktop.details.options;
result.when = desktop.details.when;
result.rows = desktop.details.rows;
result.body = desktop.details.body;
const phone = await visit({ width: 390, height: 844 }, "phone.png");
result.phone_after = phone.after;
result.phone_scroll_width = phone.widths[0];
result.phone_width = phone.widths[1];
await browser.close();
console.log(JSON.stringify(result));
