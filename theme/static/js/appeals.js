// The Gosuslugi feedback form on the appeals page, loaded only when the resident asks.
// The platform's embed code is its script plus Widget("<host>/form", <opaId>), which binds
// #js-show-iframe-wrapper to open the form in a frame. Nothing is requested from the
// platform before the button is pressed; without JavaScript the page keeps its plain link.
(function () {
  "use strict";
  var box = document.querySelector("[data-appeal-widget]");
  if (!box) return;
  var button = box.querySelector("[data-appeal-open]");
  var wrapper = document.getElementById("js-show-iframe-wrapper");
  box.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    button.textContent = "Форма загружается…";
    var script = document.createElement("script");
    script.src = box.getAttribute("data-script");
    script.onload = function () {
      if (typeof window.Widget !== "function") return script.onerror();
      window.Widget(box.getAttribute("data-form"), Number(box.getAttribute("data-id")));
      button.hidden = true;
      wrapper.click(); // the form opens at once: the resident has already asked for it
    };
    script.onerror = function () {
      button.disabled = false;
      button.textContent = "Не удалось загрузить форму. Воспользуйтесь ссылкой выше";
    };
    document.head.appendChild(script);
  });
})();
