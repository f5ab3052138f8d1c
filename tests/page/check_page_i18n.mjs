// Opens a roundtable index.html in Debian's Chromium (headless) with the browser's language set
// to LOCALE, reads what the language selector did, and saves a screenshot.
// Usage: node check_page_i18n.mjs PAGE.html LOCALE OUT.png
// Prints JSON: {"errors": [...], "lang", "dir", "selected", "body_direction",
//               "labels": {ID: TEXT} (every element with data-i18n, after the script ran),
//               "select_left", "h1_right", "width" (to check the layout is mirrored in RTL),
//               "texts": [...] (every visible text node of the page, trimmed, outside the selects),
//               "titles": [...] (the grid cells' tooltips), "when_direction" (the computed direction of the first when-list time)}
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
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    const text = n.textContent.trim();
    if (!text || !parent || parent.closest("script, style, select, noscript")) { continue; }
    // Visible: laid out (a caption for screen readers only counts too: it is read aloud).
    if (parent.getClientRects().length === 0) { continue; }
    texts.push(text);
  }
  const when = document.querySelector("ul.when-list li strong");
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
    texts,
    titles: [...document.querySelectorAll("table.grid td[title]")].map((td) => td.title).filter((t) => t),
    when_direction: when ? getComputedStyle(when).direction : null,
  };
});
await page.screenshot({ path: shot, fullPage: false });
await browser.close();
result.errors = errors;
console.log(JSON.stringify(result));
