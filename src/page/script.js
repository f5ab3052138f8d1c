// "When is it for you?": rewrites every time on the page in the chosen zone. Without script the
// page shows the programme's zone and UTC, written by roundtable in the same words.
// A zone is an IANA name (converted by the browser's Intl) or a fixed offset `UTC±HH:MM`, whose
// option carries its offset in minutes (data-offset): it is converted by arithmetic.
(function () {
  "use strict";
  var select = document.getElementById("tz");
  if (!select || typeof Intl === "undefined") { return; }
  // The page's own words in its current language (the language selector below sets <html lang>),
  // from the messages roundtable embeds; English when missing.
  var table = {};
  try { table = JSON.parse(document.getElementById("i18n-messages").textContent) || {}; } catch (e) { table = {}; }
  function lang() { return document.documentElement.lang || "en"; }
  function msg(id, english) {
    var m = table[lang()];
    return m && typeof m[id] === "string" ? m[id] : english;
  }
  var browser = "";
  var deviceOption = null;
  try { browser = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { browser = ""; }
  if (browser) {
    var known = false;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === browser) { known = true; }
    }
    if (!known) {
      var option = document.createElement("option");
      option.value = browser;
      option.textContent = browser + " " + msg("page-this-device", "(this device)");
      deviceOption = option;
      select.insertBefore(option, select.firstChild);
    }
  }
  function offsetOf(zone) {
    for (var i = 0; i < select.options.length; i++) {
      var o = select.options[i];
      if (o.value === zone && o.hasAttribute("data-offset")) { return parseInt(o.getAttribute("data-offset"), 10); }
    }
    return null;
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function offsetText(minutes) {
    var sign = minutes < 0 ? "-" : "+";
    var abs = Math.abs(minutes);
    return "UTC" + sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
  }
  // The local calendar fields of an instant in a zone.
  function parts(date, zone) {
    var fixed = offsetOf(zone);
    var tz = fixed === null ? zone : "UTC";
    var shifted = fixed === null ? date : new Date(date.getTime() + fixed * 60000);
    var options = { timeZone: tz, weekday: "short", day: "numeric", month: "short", year: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    var out = {};
    var list = new Intl.DateTimeFormat("en-GB", options).formatToParts(shifted);
    for (var i = 0; i < list.length; i++) { out[list[i].type] = list[i].value; }
    if (fixed === null) {
      var name = "";
      try {
        var zp = new Intl.DateTimeFormat("en-GB", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(date);
        for (var j = 0; j < zp.length; j++) { if (zp[j].type === "timeZoneName") { name = zp[j].value; } }
      } catch (e) { name = ""; }
      out.offset = name === "GMT" || name === "" ? "UTC+00:00" : name.replace("GMT", "UTC").replace("\u2212", "-");
    } else {
      out.offset = offsetText(fixed);
    }
    // The date as the page's language writes it (English: roundtable's compact form, above).
    out.l = { weekday: out.weekday, day: out.day, month: out.month.slice(0, 3), year: out.year };
    if (lang() !== "en") {
      try {
        var local = new Intl.DateTimeFormat(lang() + "-u-nu-latn", { timeZone: tz, weekday: "short", day: "numeric",
          month: "short", year: "numeric" }).formatToParts(shifted);
        for (var k = 0; k < local.length; k++) { if (out.l[local[k].type] !== undefined) { out.l[local[k].type] = local[k].value; } }
      } catch (e) { /* the English form stays */ }
    }
    out.dayKey = out.year + "-" + out.month + "-" + pad(parseInt(out.day, 10));
    out.dayNumber = Date.UTC(parseInt(out.year, 10), monthIndex(out.month), parseInt(out.day, 10)) / 86400000;
    return out;
  }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function monthIndex(m) { var i = MONTHS.indexOf(m.slice(0, 3)); return i < 0 ? 0 : i; }
  // `14:00–16:30`, `23:00–01:00 +1 day`: the same words as the page roundtable wrote.
  function clockSpan(s, e) {
    var days = e.dayNumber - s.dayNumber;
    var text = s.hour + ":" + s.minute + "\u2013" + e.hour + ":" + e.minute;
    if (days === 1) { text += " +1 " + msg("page-day", "day"); } else if (days > 1) { text += " +" + days + " " + msg("page-days", "days"); }
    return text;
  }
  // `Wed 13, Thu 14, Fri 15 Dec 2023`: a month named once.
  function dateList(dates) {
    var text = "";
    for (var i = 0; i < dates.length; i++) {
      var d = dates[i];
      var month = " " + d.l.month + " " + d.l.year;
      var next = i + 1 < dates.length ? " " + dates[i + 1].l.month + " " + dates[i + 1].l.year : null;
      if (i > 0) { text += ", "; }
      text += d.l.weekday + " " + parseInt(d.l.day, 10);
      if (next !== month) { text += month; }
    }
    return text;
  }
  // `Mon 13 Nov 2023`, `lun. 13 nov. 2023`.
  function day(p, year) {
    return p.l.weekday + " " + pad(parseInt(p.l.day, 10)) + " " + p.l.month + (year ? " " + p.l.year : "");
  }
  // What is written in a zone of its own, not the chosen one: the grids' rows (their first
  // date and time, their dates) and the summary's days; rewritten when the language changes.
  function showFixed() {
    var rows = document.querySelectorAll("span.local[data-start]");
    for (var i = 0; i < rows.length; i++) {
      var zone = rows[i].getAttribute("data-zone");
      var s = parts(new Date(rows[i].getAttribute("data-start")), zone);
      var e = parts(new Date(rows[i].getAttribute("data-end")), zone);
      rows[i].textContent = day(s, false) + " " + ltr(clockSpan(s, e) + " (" + s.offset + ")");
    }
    var lists = document.querySelectorAll("span.row-dates[data-starts]");
    for (var j = 0; j < lists.length; j++) {
      var z = lists[j].getAttribute("data-zone");
      var starts = lists[j].getAttribute("data-starts").split(",");
      var dates = [];
      for (var k = 0; k < starts.length; k++) { dates.push(parts(new Date(starts[k]), z)); }
      lists[j].textContent = dateList(dates);
    }
    var days = document.querySelectorAll("span.day[data-day]");
    for (var d = 0; d < days.length; d++) {
      days[d].textContent = day(parts(new Date(days[d].getAttribute("data-day") + "T12:00:00Z"), "UTC"),
        days[d].getAttribute("data-year") !== "no");
    }
    // The grid cells' tooltips: "01:00 next day, night" (roundtable's words, in English).
    var words = { inside: ["page-working", "working hours"], outside: ["page-outside", "outside working hours"],
      night: ["page-night", "night"] };
    var cells = document.querySelectorAll("table.grid td[title]");
    for (var c = 0; c < cells.length; c++) {
      var cell = cells[c];
      var kind = cell.classList.contains("inside") ? "inside" : cell.classList.contains("outside") ? "outside" :
        cell.classList.contains("night") ? "night" : "";
      if (!kind) { continue; }
      var next = cell.classList.contains("next") ? " " + msg("page-next-day", "next day,") : "";
      cell.title = pad(cell.cellIndex - 1) + ":00" + next + " " + msg(words[kind][0], words[kind][1]);
    }
    if (deviceOption) { deviceOption.textContent = browser + " " + msg("page-this-device", "(this device)"); }
  }
  // A time span inside right-to-left text, isolated so that it reads left to right
  // ("12:00–12:45", not "12:45–12:00"); as it is in left-to-right text.
  function ltr(text) { return document.documentElement.dir === "rtl" ? "\u2066" + text + "\u2069" : text; }
  function showTimes(zone) {
    var nodes = document.querySelectorAll("time[data-start]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var s = parts(new Date(node.getAttribute("data-start")), zone);
      var e = parts(new Date(node.getAttribute("data-end")), zone);
      node.textContent = day(s, true) + ", " + ltr(clockSpan(s, e)) + " " + zone;
    }
  }
  function showWhen(zone) {
    var lists = document.querySelectorAll("ul.when-list[data-occurrences]");
    for (var i = 0; i < lists.length; i++) {
      var list = lists[i];
      var groups = [];
      var pairs = list.getAttribute("data-occurrences").split(",");
      for (var j = 0; j < pairs.length; j++) {
        var two = pairs[j].split(" ");
        var s = parts(new Date(two[0]), zone);
        var e = parts(new Date(two[1]), zone);
        var span = clockSpan(s, e) + " (" + s.offset + ")";
        var group = null;
        for (var k = 0; k < groups.length; k++) { if (groups[k].span === span) { group = groups[k]; } }
        if (!group) { group = { span: span, dates: [] }; groups.push(group); }
        group.dates.push(s);
      }
      while (list.firstChild) { list.removeChild(list.firstChild); }
      for (var g = 0; g < groups.length; g++) {
        var li = document.createElement("li");
        var strong = document.createElement("strong");
        strong.textContent = groups[g].span;
        strong.dir = "ltr";
        var dates = document.createElement("span");
        dates.className = "dates";
        dates.textContent = dateList(groups[g].dates);
        li.appendChild(strong);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(dates);
        list.appendChild(li);
      }
    }
    var labels = document.querySelectorAll(".tz-current");
    for (var l = 0; l < labels.length; l++) { labels[l].textContent = zone; }
  }
  function show(zone) {
    showTimes(zone);
    showWhen(zone);
  }
  select.addEventListener("change", function () { show(select.value); });
  // The language selector calls this after switching the labels.
  window.roundtableLanguageChanged = function () { show(select.value); showFixed(); };
  select.value = browser || select.value;
  show(select.value);
})();
// The language selector: the page's labels (elements with data-i18n) in each shipped language,
// from the messages roundtable embeds (#i18n-messages, from locales/<lang>/roundtable.ftl).
// Default: the browser's first preferred language that is shipped, else the programme's.
(function () {
  "use strict";
  var select = document.getElementById("lang");
  var data = document.getElementById("i18n-messages");
  if (!select || !data) { return; }
  var table;
  try { table = JSON.parse(data.textContent); } catch (e) { return; }
  var rtl = { ar: true };
  function apply(lang) {
    var messages = table[lang];
    if (!messages) { return; }
    document.documentElement.lang = lang;
    document.documentElement.dir = rtl[lang] ? "rtl" : "ltr";
    var nodes = document.querySelectorAll("[data-i18n]");
    for (var i = 0; i < nodes.length; i++) {
      var m = messages[nodes[i].getAttribute("data-i18n")];
      if (typeof m === "string") { nodes[i].textContent = m; }
    }
    select.value = lang;
    if (typeof window.roundtableLanguageChanged === "function") { window.roundtableLanguageChanged(); }
  }
  var chosen = "";
  var prefs = navigator.languages || [navigator.language || ""];
  for (var p = 0; p < prefs.length && !chosen; p++) {
    var tag = String(prefs[p]).toLowerCase().split("-")[0];
    if (Object.prototype.hasOwnProperty.call(table, tag)) { chosen = tag; }
  }
  apply(chosen || select.getAttribute("data-default"));
  select.addEventListener("change", function () { apply(select.value); });
})();
