/* Veikart: the static SVG chart of each figure becomes the interactive vega-embed view of the same
   Vega-Lite spec (tooltips). The SVG stays when anything fails; nothing is loaded from elsewhere. */
(function () {
  "use strict";
  if (typeof window.vegaEmbed !== "function" || !document.querySelectorAll) { return; }
  var refuse = function (uri) { return Promise.reject(new Error("no external loads: " + uri)); };
  var loader = { load: refuse, http: refuse, file: refuse,
    sanitize: function (uri) { return /^data:/i.test(String(uri)) ? Promise.resolve({ href: String(uri) }) : refuse(uri); } };
  Array.prototype.forEach.call(document.querySelectorAll("figure[data-vk-spec]"), function (figure) {
    var source = document.getElementById(figure.getAttribute("data-vk-spec"));
    var view = figure.querySelector(".vk-chart");
    if (!source || !view) { return; }
    var spec;
    try { spec = JSON.parse(source.textContent); } catch (e) { return; }
    var still = view.innerHTML;
    var target = document.createElement("div");
    window.vegaEmbed(target, spec, { actions: false, renderer: "svg", loader: loader, tooltip: true })
      .then(function (result) {
        view.innerHTML = "";
        view.appendChild(target);
        var svg = target.querySelector("svg");
        if (svg) { svg.setAttribute("role", "img"); svg.setAttribute("aria-label", spec.description || ""); }
        return result;
      })
      .catch(function () { view.innerHTML = still; });
  });
})();
