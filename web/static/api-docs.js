// Starts Swagger UI on the locally served OpenAPI document (no CDN, no inline script).
(function () {
  var el = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: el.dataset.spec, dom_id: "#swagger-ui", validatorUrl: null });
})();
