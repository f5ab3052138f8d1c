// Opens a roundtable index.html in Debian's Chromium (headless) with the browser's language set
// to LOCALE, reads what the language selector did, and saves a screenshot.
// Usage: node check_page_i18n.mjs PAGE.html LOCALE OUT.png
// Prints JSON: {"errors": [...], "lang", "dir", "selected", "body_direction",
//               "labels": {ID: TEXT} (every element with data-i18n, after the script ran),
//               "select_left", "h1_right", "width" (to check the layout is mirrored in RTL)}
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [page_path, locale, shot] = process.argv.slice(2);
const url = pathToFileURL(resolve(page_path)).href;
const profile = mkdtempSync(join(tmpdir(), "rt-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    `--lang=${locale}`],
  viewport: { width: 1280, height: 900 },
  timezoneId: "Europe/Madrid",
  locale,
});
const errors = [];
const page = await browser.newPage();
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
page.on("pageerror", (e) => errors.push(String(e)));
await page.goto(url, { waitUntil: "load" });
const result = await page.evaluate(() => {
  const labels = {};
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const id = node.getAttribute("data-i18n");
    (labels[id] = labels[id] || []).push(node.textContent);
  }
  const select = document.getElementById("lang").getBoundingClientRect();
  const h1 = document.querySelector("h1").getBoundingClientRect();
  return {
    lang: document.documentElement.getAttribute("lang"),
    dir: document.documentElement.getAttribute("dir"),
    selected: document.getElementById("lang").value,
    body_direction: getComputedStyle(document.body).direction,
    labels,
    select_left: select.left,
    h1_right: h1.right,
    width: window.innerWidth,
  };
});
await page.screenshot({ path: shot, fullPage: false });
await browser.close();
result.errors = errors;
console.log(JSON.stringify(result));
