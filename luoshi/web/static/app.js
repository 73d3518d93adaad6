// luoshi pages: htmx sends the anti-CSRF token with every request it makes (the server refuses a
// cookie-authenticated POST without it), and shows the server's error pages (4xx) in place
// instead of ignoring them. No inline scripts anywhere: the CSP allows scripts from /static only.
(function () {
  "use strict";
  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return decodeURIComponent(parts[i].slice(eq + 1));
    }
    return "";
  }
  document.addEventListener("htmx:configRequest", function (e) {
    var token = cookie("luoshi_csrf");
    if (token) e.detail.headers["X-CSRF-Token"] = token;
  });
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    if (status >= 400 && status < 500) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  // A page's own script registers here and runs after every htmx swap as well as on load.
  window.luoshi = window.luoshi || { ready: [] };
  function runReady() {
    window.luoshi.ready.forEach(function (fn) { try { fn(document); } catch (err) { console.error(err); } });
  }
  document.addEventListener("DOMContentLoaded", runReady);
  document.addEventListener("htmx:afterSettle", runReady);
})();
