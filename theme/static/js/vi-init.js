/* Applies the saved settings of the version for the visually impaired before the page
   is painted (loaded synchronously in <head>), so the normal version never flashes. */
(function () {
  // Scripts run: the switch may be shown. Set before the first paint, so showing it
  // later never shifts the page (the switch has its place from the start).
  document.documentElement.classList.add("r-js");
  try {
    var saved = JSON.parse(localStorage.getItem("ratusha-vi") || "{}");
    var root = document.documentElement;
    for (var key in saved) {
      if (Object.prototype.hasOwnProperty.call(saved, key) && /^[a-z]+$/.test(key)) {
        root.setAttribute("data-vi-" + key, String(saved[key]));
      }
    }
  } catch (e) { /* storage disabled: the normal version is shown */ }
})();
