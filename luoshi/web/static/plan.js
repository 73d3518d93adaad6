// One plan's page: the tabs of the side panel; a panel entry (target, clause, section, a finding's
// citation) scrolls the text to its span and marks it; a mark in the text shows its entry in the
// panel. Loaded again after each boosted navigation, so it registers once and guards each page.
(function () {
  "use strict";
  var KINDS = ["target", "clause", "section"];
  var TAB = { target: "targets", clause: "units", section: "outline" };
  var PREFIX = { t: "target", a: "clause", s: "section" };
  var HASH = { target: "t", clause: "a", section: "s" };

  function kindOf(el) {
    for (var i = 0; i < KINDS.length; i++) if (el.hasAttribute("data-" + KINDS[i])) return KINDS[i];
    return null;
  }

  function restart(el, cls) {
    el.classList.remove(cls);
    void el.offsetWidth; // a reflow, so the flash runs again on the same mark
    el.classList.add(cls);
  }

  function setup(page) {
    var text = page.querySelector(".plan-text");
    var panel = page.querySelector(".plan-panel");
    var body = panel.querySelector(".panel-body");

    function showTab(name) {
      panel.querySelectorAll("[data-tab]").forEach(function (b) {
        var on = b.getAttribute("data-tab") === name;
        b.classList.toggle("is-active", on);
        b.setAttribute("aria-selected", on ? "true" : "false");
      });
      panel.querySelectorAll("[data-pane]").forEach(function (p) {
        p.classList.toggle("is-active", p.getAttribute("data-pane") === name);
      });
    }

    function focusText(kind, id) {
      var pieces = text.querySelectorAll("[data-" + kind + '="' + id + '"]');
      if (!pieces.length) return false;
      text.querySelectorAll(".is-focus").forEach(function (m) { m.classList.remove("is-focus"); });
      pieces.forEach(function (m) { restart(m, "is-focus"); });
      pieces[0].scrollIntoView({ block: "center" }); // at once: the flash shows where
      if (history.replaceState) history.replaceState(history.state, "", "#" + HASH[kind] + "-" + id);
      return true;
    }

    function focusEntry(kind, id) {
      var entry = body.querySelector('.pane [data-' + kind + '="' + id + '"]');
      if (!entry) return;
      showTab(TAB[kind]);
      body.querySelectorAll(".is-focus").forEach(function (e) { e.classList.remove("is-focus"); });
      entry.classList.add("is-focus");
      // Scroll the panel only, not the page: the text stays where the reader clicked.
      var top = entry.getBoundingClientRect().top - body.getBoundingClientRect().top + body.scrollTop;
      body.scrollTo({ top: Math.max(top - 40, 0), behavior: "smooth" });
    }

    panel.classList.add("js-tabs");
    var active = panel.querySelector("[data-tab].is-active");
    showTab(active ? active.getAttribute("data-tab") : "targets");

    panel.addEventListener("click", function (e) {
      var tab = e.target.closest("[data-tab]");
      if (tab) { showTab(tab.getAttribute("data-tab")); return; }
      var link = e.target.closest("a");
      if (link && (link.getAttribute("href") || "").charAt(0) !== "#") return; // another page
      var item = e.target.closest("[data-target],[data-clause],[data-section]");
      if (!item || !panel.contains(item)) return;
      var kind = kindOf(item), id = item.getAttribute("data-" + kind);
      if (focusText(kind, id)) e.preventDefault();
      if (item.classList.contains("entry")) {
        body.querySelectorAll(".is-focus").forEach(function (x) { x.classList.remove("is-focus"); });
        item.classList.add("is-focus");
      }
    });
    panel.addEventListener("keydown", function (e) {
      if ((e.key === "Enter" || e.key === " ") && e.target.classList.contains("entry")) {
        e.preventDefault();
        e.target.click();
      }
    });

    text.addEventListener("click", function (e) {
      var mark = e.target.closest("mark");
      if (!mark) return;
      var kind = kindOf(mark), id = mark.getAttribute("data-" + kind);
      text.querySelectorAll(".is-focus").forEach(function (m) { m.classList.remove("is-focus"); });
      text.querySelectorAll("[data-" + kind + '="' + id + '"]').forEach(function (m) { restart(m, "is-focus"); });
      focusEntry(kind, id);
    });

    // A link to a span (#t-7 from a finding of another plan) opens the page there.
    var hash = /^#([tas])-(\d+)$/.exec(location.hash);
    if (hash) {
      var kind = PREFIX[hash[1]];
      focusText(kind, hash[2]);
      focusEntry(kind, hash[2]);
    }
  }

  function init(root) {
    (root || document).querySelectorAll(".plan-page").forEach(function (page) {
      if (page.getAttribute("data-ready")) return;
      page.setAttribute("data-ready", "1");
      setup(page);
    });
  }

  window.luoshi = window.luoshi || { ready: [] };
  if (!window.luoshi.planPage) {
    window.luoshi.planPage = true;
    window.luoshi.ready.push(init);
  }
  if (document.readyState !== "loading") init(document); // loaded by a boosted navigation
})();
