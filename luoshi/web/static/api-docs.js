// Starts Swagger UI on /api/docs from a file, not an inline script, so the page keeps the
// strict Content-Security-Policy; Swagger UI itself is served from the swagger-ui-bundle package.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
