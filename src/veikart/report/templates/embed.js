/* Veikart: replace each static chart (inline SVG) by the interactive vega-embed view of the same
   Vega-Lite spec. The static SVG stays when anything fails. Nothing is loaded from elsewhere:
   a spec that names a data URL keeps its static chart, and the loader given to Vega refuses
   every URL but data: URLs. */
(function () {
  "use strict";
  if (typeof window.vegaEmbed !== "function" || !document.querySelectorAll || typeof Promise !== "function") {
    return;
  }
  var refuse = function (uri) {
    return Promise.reject(new Error("Veikart: the page loads nothing from elsewhere (" + uri + ")"));
  };
  var loader = {
    load: refuse,
    http: refuse,
    file: refuse,
    sanitize: function (uri) {
      return /^data:/i.test(String(uri)) ? Promise.resolve({ href: String(uri) }) : refuse(uri);
    }
  };
  var namesUrl = function (value) {
    if (Array.isArray(value)) {
      return value.some(namesUrl);
    }
    if (value && typeof value === "object") {
      return Object.keys(value).some(function (key) {
        var v = value[key];
        if (key === "url" && typeof v === "string" && !/^data:/i.test(v)) {
          return true;
        }
        return namesUrl(v);
      });
    }
    return false;
  };
  var figures = document.querySelectorAll("figure[data-vk-spec]");
  Array.prototype.forEach.call(figures, function (figure) {
    var source = document.getElementById(figure.getAttribute("data-vk-spec"));
    var view = figure.querySelector(".chart__view");
    var still = view ? view.querySelector("svg.chart-static") : null;
    if (!source || !still) {
      return;
    }
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (err) {
      return;
    }
    if (namesUrl(spec)) {
      figure.setAttribute("data-vk-live", "static");
      return;
    }
    var live = document.createElement("div");
    live.className = "chart__live chart__live--pending";
    live.setAttribute("role", "img");
    live.setAttribute("aria-label", still.getAttribute("aria-label") || "");
    view.appendChild(live);
    window.vegaEmbed(live, spec, { actions: false, renderer: "svg", loader: loader }).then(function () {
      still.parentNode.removeChild(still);
      live.className = "chart__live";
      figure.setAttribute("data-vk-live", "true");
    }).catch(function (err) {
      if (live.parentNode) {
        live.parentNode.removeChild(live);
      }
      figure.setAttribute("data-vk-live", "failed");
      if (window.console) {
        window.console.warn("Veikart: interactive chart failed; the static image stays", err);
      }
    });
  });
})();
