// "Your time": shows every <time data-start data-end> in the chosen zone. Without script the page
// shows the programme's zone and UTC, written by roundtable.
(function () {
  "use strict";
  var select = document.getElementById("tz");
  if (!select || typeof Intl === "undefined") { return; }
  var browser = "";
  try { browser = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { browser = ""; }
  if (browser) {
    var known = false;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === browser) { known = true; }
    }
    if (!known) {
      var option = document.createElement("option");
      option.value = browser;
      option.textContent = browser + " (this device)";
      select.insertBefore(option, select.firstChild);
    }
  }
  function format(date, zone, withDate) {
    var options = { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (withDate) { options.weekday = "short"; options.day = "2-digit"; options.month = "short"; options.year = "numeric"; }
    return new Intl.DateTimeFormat("en-GB", options).format(date);
  }
  function dayKey(date, zone) {
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  }
  function show(zone) {
    var nodes = document.querySelectorAll("time[data-start]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var start = new Date(node.getAttribute("data-start"));
      var end = new Date(node.getAttribute("data-end"));
      var text = format(start, zone, true) + "–" + format(end, zone, false);
      if (dayKey(start, zone) !== dayKey(end, zone)) { text += " (+1 day)"; }
      node.textContent = text + " " + zone;
    }
    var label = document.getElementById("tz-current");
    if (label) { label.textContent = zone; }
  }
  select.addEventListener("change", function () { show(select.value); });
  select.value = browser || select.value;
  show(select.value);
})();
