// The unit's desk and its report form: progress bars drawn from data-* (the policy forbids
// style attributes), and 累计 filled from 上月累计 + 当月 while the user has not typed one.
(function () {
  "use strict";
  window.luoshi = window.luoshi || { ready: [] };
  if (window.luoshi.inboxLoaded) return; // a boosted page runs its scripts again
  window.luoshi.inboxLoaded = true;

  function number(text) {
    var s = String(text || "").replace(/[,\s，]/g, "");
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return null;
    return parseFloat(s);
  }

  function bars(root) {
    root.querySelectorAll(".progress-bar[data-completion]").forEach(function (bar) {
      if (bar.dataset.drawn) return;
      bar.dataset.drawn = "1";
      var done = Math.max(0, Math.min(100, parseFloat(bar.dataset.completion) || 0));
      var due = Math.max(0, Math.min(100, parseFloat(bar.dataset.scheduled) || 0));
      bar.firstElementChild.style.width = done + "%";
      var mark = document.createElement("i");
      mark.className = "mark";
      mark.title = "序时进度 " + due + "%";
      mark.style.left = due + "%";
      bar.appendChild(mark);
    });
  }

  function totals(root) {
    root.querySelectorAll(".report-lines tbody.line").forEach(function (line) {
      var month = line.querySelector("input.month"), total = line.querySelector("input.cumulative");
      var prev = line.querySelector("[data-previous]");
      if (!month || !total || !prev || month.dataset.bound) return;
      month.dataset.bound = "1";
      total.addEventListener("input", function () { total.classList.remove("auto"); });
      month.addEventListener("input", function () {
        var p = number(prev.dataset.previous), m = number(month.value);
        if (total.value && !total.classList.contains("auto")) return; // typed by the user: keep it
        if (p === null || m === null) { if (total.classList.contains("auto")) total.value = ""; return; }
        total.value = String(Math.round((p + m) * 1e6) / 1e6);
        total.classList.add("auto");
      });
    });
  }

  function ready(root) { bars(root); totals(root); }
  window.luoshi.ready.push(ready);
  if (document.readyState !== "loading") ready(document);
})();
