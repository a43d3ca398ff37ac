/* The version for the visually impaired: a panel of radio groups in the header. Each
   choice is a data-vi-* attribute on <html> (styled in ratusha.css) and is saved in
   localStorage, so it persists across pages and visits without a server. Without
   JavaScript the switch stays hidden and the normal version is fully readable. */
(function () {
  var KEY = "ratusha-vi";
  var root = document.documentElement;
  var toggle = document.getElementById("vi-toggle");
  var panel = document.getElementById("vi-panel");
  if (!toggle || !panel) return;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function save(settings) {
    try { localStorage.setItem(KEY, JSON.stringify(settings)); } catch (e) { /* ignore */ }
  }
  function apply(settings) {
    Array.prototype.slice.call(root.attributes).forEach(function (attr) {
      if (attr.name.indexOf("data-vi-") === 0) root.removeAttribute(attr.name);
    });
    Object.keys(settings).forEach(function (key) { root.setAttribute("data-vi-" + key, settings[key]); });
    root.classList.toggle("r-vi", Object.keys(settings).length > 0);
    Array.prototype.forEach.call(panel.querySelectorAll("input[type=radio]"), function (input) {
      var current = settings[input.name.replace("vi-", "")] || "";
      input.checked = input.value === current;
    });
  }
  /* With images off, each image's text alternative is shown in its place. */
  function addAltTexts() {
    Array.prototype.forEach.call(document.querySelectorAll("main img[alt]"), function (img) {
      if (!img.alt || (img.nextElementSibling && img.nextElementSibling.classList.contains("r-vi-alt"))) return;
      var alt = document.createElement("span");
      alt.className = "r-vi-alt";
      alt.textContent = "Изображение: " + img.alt;
      img.insertAdjacentElement("afterend", alt);
    });
  }

  var settings = load();
  apply(settings);
  addAltTexts();
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
    if (open) { var first = panel.querySelector("input:checked") || panel.querySelector("input"); if (first) first.focus(); }
  });
  panel.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio") return;
    var key = input.name.replace("vi-", "");
    if (input.value) settings[key] = input.value; else delete settings[key];
    save(settings);
    apply(settings);
  });
  panel.querySelector("[data-vi-reset]").addEventListener("click", function () {
    settings = {};
    save(settings);
    apply(settings);
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { toggle.click(); toggle.focus(); }
  });
})();
