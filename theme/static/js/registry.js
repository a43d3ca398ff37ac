// The acts registry's filters combined (issue 18): type, year, status, issuer and a text on
// title and number, all at once, in the browser. Without this script the registry keeps its
// one-facet links (/documents/type/…/); with it, the form is in their place and the
// acts are filtered from /documents/registry.json (written by the build, same host), fetched
// once when the reader first touches the form or opens an address with filters in it.
// The filters live in the address (/documents/?type=postanovlenie&year=2026), so a filtered
// list can be bookmarked and sent, and Back and Forward step through the changes. The count
// of each selection goes to a live region (role=status), read out without moving focus.
(function () {
  "use strict";
  var form = document.getElementById("registry-filters");
  var results = document.getElementById("registry-results");
  var status = document.getElementById("registry-count");
  if (!form || !results || !status || !window.fetch || !window.history || !history.pushState) return;
  var GROUPS = ["type", "year", "status", "issuer"];
  var STEP = 20; // cards shown at once; "Показать ещё" adds as many
  var site = form.getAttribute("data-registry-site") || "";
  var base = form.getAttribute("action");
  var original = { html: results.innerHTML, status: status.textContent };
  var initial = read(form); // the page's own selection (its facet, on a one-facet page)
  var acts = null;
  var loading = null;
  var shown = 0;
  var matches = [];
  var typing = null;

  // The form is shown, and the one-facet links hidden, by the stylesheet wherever scripts run
  // (.r-js); should the data file fail to load, the links come back (.r-registry--links).
  var registry = form.closest(".r-registry");

  function read(source) {
    var state = {};
    GROUPS.forEach(function (group) { state[group] = source.elements[group].value; });
    state.q = source.elements.q.value.trim();
    return state;
  }

  function fromAddress() {
    var params = new URLSearchParams(location.search);
    var state = {};
    GROUPS.forEach(function (group) { state[group] = params.get(group) || ""; });
    state.q = (params.get("q") || "").trim();
    return state;
  }

  function hasFilters(state) {
    return GROUPS.some(function (g) { return state[g]; }) || Boolean(state.q);
  }

  function same(a, b) {
    return GROUPS.every(function (g) { return a[g] === b[g]; }) && a.q === b.q;
  }

  function address(state) {
    var params = new URLSearchParams();
    GROUPS.forEach(function (group) { if (state[group]) params.set(group, state[group]); });
    if (state.q) params.set("q", state.q);
    var query = params.toString();
    return base + (query ? "?" + query : "");
  }

  function put(state) {
    GROUPS.forEach(function (group) {
      var select = form.elements[group];
      select.value = state[group];
      if (select.value !== state[group]) select.value = ""; // a key this build does not have
    });
    form.elements.q.value = state.q;
  }

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-registry-data"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          acts = data.acts.map(function (act) {
            act.text = normal(act.title + " " + act.number + " " + act.label);
            return act;
          });
          return acts;
        });
      loading.catch(function () {
        status.textContent = "Не удалось загрузить реестр для отбора. Воспользуйтесь ссылками разделов.";
        if (registry) registry.classList.add("r-registry--links");
      });
    }
    return loading;
  }

  function normal(text) {
    return text.toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ");
  }

  function select(state) {
    var words = normal(state.q).split(" ").filter(Boolean);
    return acts.filter(function (act) {
      for (var i = 0; i < GROUPS.length; i++) {
        var want = state[GROUPS[i]];
        if (want && act.facets[GROUPS[i]] !== want) return false;
      }
      return words.every(function (word) { return act.text.indexOf(word) !== -1; });
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The same markup as the act_card component (theme/templates/components/act_card).
  function card(act) {
    var article = element("article", "r-act");
    var heading = element("h2", "r-act__title");
    var link = element("a", null, act.label);
    link.href = site + "/" + act.url;
    heading.appendChild(link);
    article.appendChild(heading);
    article.appendChild(element("p", "r-act__name", act.title));
    var meta = element("p", "r-act__meta");
    meta.appendChild(element("span", "r-status r-status--" + act.modifier, act.status));
    if (act.issuer) meta.appendChild(document.createTextNode(" · " + act.issuer));
    article.appendChild(meta);
    return article;
  }

  function more() {
    var old = results.querySelector(".r-registry__more");
    if (old) old.remove();
    var first = null;
    matches.slice(shown, shown + STEP).forEach(function (act) {
      var node = card(act);
      first = first || node;
      results.appendChild(node);
    });
    shown = Math.min(matches.length, shown + STEP);
    if (shown < matches.length) {
      var paragraph = element("p", "r-registry__more");
      var button = element("button", "r-button", "Показать ещё " + Math.min(STEP, matches.length - shown));
      button.type = "button";
      button.addEventListener("click", function () {
        var added = more();
        if (added) added.querySelector("a").focus(); // the reader goes on from the first new act
      });
      paragraph.appendChild(button);
      results.appendChild(paragraph);
    }
    return first;
  }

  function words(count) {
    var last = count % 10;
    var tens = count % 100;
    if (last === 1 && tens !== 11) return "документ";
    if (last >= 2 && last <= 4 && (tens < 12 || tens > 14)) return "документа";
    return "документов";
  }

  function show(state) {
    if (same(state, initial)) { // the page as the build wrote it, with its pages of the list
      results.innerHTML = original.html;
      status.textContent = original.status;
      return Promise.resolve();
    }
    return load().then(function () {
      matches = select(state);
      shown = 0;
      results.textContent = "";
      if (matches.length === 0) {
        results.appendChild(element("p", null, "Документов с такими условиями нет. Измените или сбросьте фильтры."));
      } else {
        more();
      }
      status.textContent = matches.length
        ? "Найдено: " + matches.length + " " + words(matches.length) + ". Сначала новые."
        : "Найдено: 0 документов.";
    });
  }

  function change(replace) {
    var state = read(form);
    var target = address(state);
    if (target !== location.pathname + location.search) {
      history[replace ? "replaceState" : "pushState"]({ registry: state }, "", target);
    }
    show(state);
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "q") return; // the text is handled as it is typed
    change(false);
  });
  form.addEventListener("input", function (event) {
    if (event.target.name !== "q") return;
    clearTimeout(typing);
    // One history entry per pause in typing, not per letter.
    typing = setTimeout(function () { change(false); }, 350);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(typing);
    change(false);
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { // after the browser has reset the fields
      GROUPS.forEach(function (group) { form.elements[group].value = ""; });
      change(false);
    }, 0);
  });
  form.addEventListener("focusin", load, { once: true }); // fetched before the first change
  window.addEventListener("popstate", function (event) {
    // An entry this script pushed carries its selection; the page's own entry is the page's.
    var pushed = event.state && event.state.registry;
    var state = pushed || (hasFilters(fromAddress()) ? fromAddress() : initial);
    put(state);
    show(state);
  });

  // An address with filters (a bookmark, a link someone sent, a reload) opens filtered.
  if (location.search) {
    var start = fromAddress();
    if (hasFilters(start)) {
      put(start);
      show(start);
    }
  }
})();
