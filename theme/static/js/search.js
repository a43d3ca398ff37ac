/* The search page: queries the index under /search-index/ (plugins/ratusha/search) in the
   browser. Every word of the query must be found (its Russian word forms count); results are
   ranked by BM25 and can be narrowed by the filters of the pages they came from. The query
   lives in ?q=, so the header's search box, links and the back button work. The Russian
   stemmer is an ES module the build ships (data-stemmer on this script's tag), imported once. */
(function () {
  "use strict";
  var words = window.RatushaSearchWords;
  var script = document.currentScript;
  var stemmerUrl = script && script.getAttribute("data-stemmer");
  var root = document.getElementById("search");
  var form = document.getElementById("search-form");
  if (!root || !form || !words || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var status = root.querySelector(".r-search__status");
  var filtersBox = root.querySelector(".r-search__filters");
  var list = root.querySelector(".r-search__results");
  var more = root.querySelector(".r-search__more");
  var base = root.getAttribute("data-index");
  var site = root.getAttribute("data-site");
  var PAGE = 10;
  var entry = null, stopWords = Object.create(null), files = Object.create(null);
  var stemmer = null, stem = null;
  var current = { query: "", matches: [], chosen: Object.create(null), shown: 0, run: 0, view: 0 };

  function json(url, options) {
    return fetch(url, options).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  /* The entry names every other file. After a new publication the files it names may be
     gone (the entry is cached for 10 minutes): then it is fetched again past the cache. */
  function loadEntry(reload) {
    if (!entry || reload) {
      entry = json(base + "entry.json", reload ? { cache: "reload" } : undefined).then(function (e) {
        stopWords = Object.create(null);
        e.stop_words.forEach(function (w) { stopWords[w] = true; });
        return e;
      }, function (error) { entry = null; throw error; });
    }
    return entry;
  }

  /* The stemmer module, imported at most once (again after a failure). */
  function loadStemmer() {
    if (!stemmer) {
      stemmer = (stemmerUrl ? import(stemmerUrl) : Promise.reject(new Error("no stemmer"))).then(function (m) {
        stem = m.stemmer;
        return stem;
      }, function (error) { stemmer = null; throw error; });
    }
    return stemmer;
  }

  /* Buckets and fragments are named by their content: fetched once, kept while the page is open. */
  function file(path) {
    if (!files[path]) {
      files[path] = json(base + path).catch(function (error) { delete files[path]; throw error; });
    }
    return files[path];
  }

  function fragment(name) { return file("f/" + name + ".json"); }

  function plural(n, one, few, many) {
    var m10 = n % 10, m100 = n % 100;
    if (m10 === 1 && m100 !== 11) return one;
    if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
    return many;
  }

  /* Completions a word being typed is expanded to (RatushaSearchWords.groups). */
  var EXPAND = 3;

  function anyChosen() {
    return Object.keys(current.chosen).some(function (k) { return Object.keys(current.chosen[k]).length; });
  }

  /* Every posting of the query's terms: needed once a filter is chosen. */
  function completeAll() {
    return words.ensure(current.groups, file, Infinity).then(function (r) {
      current.ranked = r;
      current.matches = r.results;
      return r;
    });
  }

  /* Results proven for the first ``wanted``; more chunks are loaded only when needed. */
  function ensure(wanted) {
    return words.ensure(current.groups, file, wanted).then(function (r) {
      current.ranked = r;
      current.matches = r.results;
      return r;
    });
  }

  /* Whether a match passes the chosen filters (all groups but ``skip``, for that group's counts). */
  function selected(m, e, skip) {
    var names = Object.keys(e.filters);
    for (var i = 0; i < names.length; i++) {
      if (i === skip) continue;
      var chosen = current.chosen[names[i]];
      if (chosen && Object.keys(chosen).length && !chosen[m.posting[2 + i]]) return false;
    }
    return true;
  }

  function renderFilters(e) {
    var wasOpen = Object.create(null);
    filtersBox.querySelectorAll("details").forEach(function (d) { wasOpen[d.getAttribute("data-name")] = d.open; });
    filtersBox.textContent = "";
    var r = current.ranked;
    if (!r || !r.results.length) return;
    var single = current.groups.length === 1 && current.groups[0].length === 1 ? current.groups[0][0] : null;
    if (!r.complete && !(single && single.counts && !anyChosen())) {
      // Several words and not every posting loaded: the counts would be guesses; on request.
      var button = document.createElement("button");
      button.type = "button";
      button.className = "r-search__refine";
      button.textContent = "Отобрать по разделу и подразделению";
      button.addEventListener("click", function () {
        button.disabled = true;
        completeAll().then(function () { renderFilters(e); return showResults(e, true); }).catch(retry);
      });
      filtersBox.appendChild(button);
      return;
    }
    var names = Object.keys(e.filters);
    names.forEach(function (name, i) {
      var counts = Object.create(null);
      if (!r.complete) {
        Object.keys(single.counts[i]).forEach(function (v) { counts[v] = single.counts[i][v]; });
      } else {
        current.matches.forEach(function (m) {
          if (!selected(m, e, i)) return;
          var v = m.posting[2 + i];
          if (v >= 0) counts[v] = (counts[v] || 0) + 1;
        });
      }
      var values = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || e.filters[name][a].localeCompare(e.filters[name][b], "ru"); });
      if (values.length < 2 && !current.chosen[name]) return;
      var details = document.createElement("details");
      details.className = "r-search__filter";
      details.setAttribute("data-name", name);
      details.open = name in wasOpen ? wasOpen[name] : (!!current.chosen[name] || values.length <= 6);
      var summary = document.createElement("summary");
      summary.textContent = name;
      details.appendChild(summary);
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.className = "r-visually-hidden";
      legend.textContent = name;
      fieldset.appendChild(legend);
      values.forEach(function (v) {
        var id = "filter-" + i + "-" + v;
        var row = document.createElement("div");
        row.className = "r-search__option";
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = id;
        box.value = v;
        box.checked = !!(current.chosen[name] && current.chosen[name][v]);
        box.addEventListener("change", function () {
          var chosen = current.chosen[name] = current.chosen[name] || Object.create(null);
          if (box.checked) chosen[v] = true; else delete chosen[v];
          completeAll().then(function () {
            renderFilters(e);
            var again = document.getElementById(id);
            if (again) again.focus();
            return showResults(e, true);
          }).catch(retry);
        });
        var label = document.createElement("label");
        label.htmlFor = id;
        label.textContent = e.filters[name][v] + " (" + counts[v] + ")";
        row.appendChild(box);
        row.appendChild(label);
        fieldset.appendChild(row);
      });
      details.appendChild(fieldset);
      filtersBox.appendChild(details);
    });
  }

  function escapeText(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  /* About 30 words of the text around the first place a query term appears, terms marked (a
     word with a stress mark or a soft hyphen in it is one word, as tokens() sees it). */
  function excerpt(text, terms) {
    var want = Object.create(null), spans = [], re = /[\p{L}\p{N}\p{M}\u00ad]+/gu, m;
    terms.forEach(function (t) { want[t] = true; });
    while ((m = re.exec(text)) !== null) {
      var w = words.tokens(m[0])[0];
      spans.push({ start: m.index, end: m.index + m[0].length, hit: !!(w && want[words.term(w, stopWords, stem)]) });
    }
    var first = 0;
    for (var i = 0; i < spans.length; i++) if (spans[i].hit) { first = i; break; }
    var from = Math.max(0, first - 10), to = Math.min(spans.length, from + 30);
    if (!spans.length) return "";
    var html = from > 0 ? "… " : "", pos = spans[from].start;
    for (var k = from; k < to; k++) {
      html += escapeText(text.slice(pos, spans[k].start));
      var word = escapeText(text.slice(spans[k].start, spans[k].end));
      html += spans[k].hit ? "<mark>" + word + "</mark>" : word;
      pos = spans[k].end;
    }
    return html + (to < spans.length ? " …" : escapeText(text.slice(pos)));
  }

  function renderItem(e, m, f, terms) {
    var li = document.createElement("li");
    li.className = "r-search__result";
    var h = document.createElement("h2");
    h.className = "r-search__title";
    var a = document.createElement("a");
    a.href = site + f.url;
    a.textContent = f.title;
    h.appendChild(a);
    li.appendChild(h);
    var section = Object.keys(e.filters).indexOf("Раздел"), value = section >= 0 ? m.posting[2 + section] : -1;
    var details = [value >= 0 ? e.filters["Раздел"][value] : "", f.meta.date].filter(Boolean);
    if (details.length) {
      var meta = document.createElement("p");
      meta.className = "r-search__meta";
      meta.textContent = details.join(" · ");
      li.appendChild(meta);
    }
    var p = document.createElement("p");
    p.className = "r-search__excerpt";
    p.innerHTML = excerpt(f.text, terms);
    li.appendChild(p);
    return li;
  }

  function describe(n, q, atLeast) {
    if (atLeast) return "Найдено не менее " + n + " " + plural(n, "материала", "материалов", "материалов") + " по запросу «" + q + "»";
    if (n) return plural(n, "Найден ", "Найдено ", "Найдено ") + n + " " + plural(n, "материал", "материала", "материалов") + " по запросу «" + q + "»";
    if (current.matches.length) return "По запросу «" + q + "» с выбранными условиями ничего не найдено. Снимите часть отметок.";
    return "По запросу «" + q + "» ничего не найдено. Проверьте написание или попробуйте другие слова.";
  }

  /* Show the next ten results (or the first ten, with ``reset``); a newer view wins. Chunks
     are loaded until those ten are proven (RatushaSearchWords.ensure). */
  function showResults(e, reset) {
    if (reset) { list.textContent = ""; current.shown = 0; current.view++; }
    var view = current.view;
    more.disabled = true;
    return ensure(current.shown + PAGE).then(function (r) {
      if (view !== current.view) return [];
      var visible = current.matches.filter(function (m) { return selected(m, e, -1); });
      var n = r.complete ? visible.length : r.total !== null ? r.total : r.atLeast;
      status.textContent = describe(n, current.query, !r.complete && r.total === null);
      var slice = visible.slice(current.shown, current.shown + PAGE);
      current.shown += slice.length;
      more.hidden = r.complete ? current.shown >= visible.length : r.total !== null && current.shown >= r.total;
      return Promise.all(slice.map(function (m) { return fragment(m.posting[0]).then(function (f) { return [m, f]; }); }));
    }).then(function (found) {
      if (view !== current.view) return null;
      more.disabled = false;
      var focusTarget = null;
      found.forEach(function (pair) {
        var li = renderItem(e, pair[0], pair[1], current.terms);
        if (!focusTarget) focusTarget = li.querySelector("a");
        list.appendChild(li);
      });
      return focusTarget;
    });
  }

  function search(query, reload) {
    var run = ++current.run;
    current.view++;
    current.raw = query;
    current.query = query.trim();
    current.chosen = Object.create(null);
    list.textContent = "";
    filtersBox.textContent = "";
    more.hidden = true;
    if (!current.query) { status.textContent = "Введите слово или фразу."; return Promise.resolve(); }
    status.textContent = "Ищем «" + current.query + "»…";
    return Promise.all([loadEntry(reload), loadStemmer()]).then(function (loaded) {
      var e = loaded[0];
      var any = words.tokens(current.query).some(function (w) { return words.term(w, stopWords, stem); });
      if (!any) {
        status.textContent = "Запрос «" + current.query + "» состоит из слишком общих слов. Уточните его.";
        return;
      }
      return words.groups(e, file, query, stopWords, stem, EXPAND).then(function (groups) {
        if (run !== current.run) return;
        current.groups = groups;
        current.terms = [].concat.apply([], groups.map(function (g) { return g.map(function (a) { return a.term; }); }));
        return ensure(PAGE).then(function () {
          if (run !== current.run) return;
          renderFilters(e);
          return showResults(e, true);
        });
      });
    }).catch(function () {
      if (run !== current.run) return;
      // The files named by an entry from before the last publication are gone: once more,
      // with the entry fetched past the cache.
      if (!reload) return search(query, true);
      status.textContent = "Поиск временно недоступен. Попробуйте обновить страницу.";
    });
  }

  function retry() { return search(current.raw, true); }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(typing);
    var query = input.value;
    var url = new URL(window.location.href);
    url.searchParams.set("q", query);
    window.history.pushState({ q: query }, "", url);
    search(query);
  });
  /* While typing: results follow the words (the last one as the beginning of a word). */
  var typing = null;
  input.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () {
      var query = input.value;
      var url = new URL(window.location.href);
      url.searchParams.set("q", query);
      window.history.replaceState({ q: query }, "", url);
      search(query);
    }, 250);
  });
  more.addEventListener("click", function () {
    loadEntry().then(function (e) { return showResults(e, false); }).then(function (first) {
      if (first) first.focus();
    }).catch(retry);
  });
  window.addEventListener("popstate", function () {
    var q = new URLSearchParams(window.location.search).get("q") || "";
    input.value = q;
    search(q);
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
