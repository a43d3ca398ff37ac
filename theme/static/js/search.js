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

  function bucket(e, number) { return file("b/" + e.buckets[number] + ".json"); }

  function fragment(name) { return file("f/" + name + ".json"); }

  function plural(n, one, few, many) {
    var m10 = n % 10, m100 = n % 100;
    if (m10 === 1 && m100 !== 11) return one;
    if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
    return many;
  }

  function queryTerms(query) {
    var seen = Object.create(null), result = [];
    words.tokens(query).forEach(function (w) {
      var t = words.term(w, stopWords, stem);
      if (t && !seen[t]) { seen[t] = true; result.push(t); }
    });
    return result;
  }

  /* Postings of every term, intersected; score = sum of weight × idf. */
  function match(e, terms) {
    return Promise.all(terms.map(function (t) {
      return bucket(e, words.bucketOf(t, e.buckets.length)).then(function (b) {
        return b[t] ? b[t].split(";").map(function (line) {
          return line.split(",").map(function (v, i) { return i ? Number(v) : v; });
        }) : [];
      });
    })).then(function (lists) {
      var scores = null;
      lists.forEach(function (postings) {
        var idf = Math.log(1 + (e.documents - postings.length + 0.5) / (postings.length + 0.5));
        var next = {};
        postings.forEach(function (p) {
          if (scores === null) next[p[0]] = { posting: p, score: p[1] * idf };
          else if (scores[p[0]]) next[p[0]] = { posting: p, score: scores[p[0]].score + p[1] * idf };
        });
        scores = next;
      });
      var found = [];
      Object.keys(scores || {}).forEach(function (k) { found.push(scores[k]); });
      found.sort(function (a, b) { return b.score - a.score || (a.posting[0] < b.posting[0] ? -1 : 1); });
      return found;
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
    var names = Object.keys(e.filters);
    names.forEach(function (name, i) {
      var counts = Object.create(null);
      current.matches.forEach(function (m) {
        if (!selected(m, e, i)) return;
        var v = m.posting[2 + i];
        if (v >= 0) counts[v] = (counts[v] || 0) + 1;
      });
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
          renderFilters(e);
          var again = document.getElementById(id);
          if (again) again.focus();
          showResults(e, true).catch(retry);
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

  function describe(n, q) {
    if (n) return plural(n, "Найден ", "Найдено ", "Найдено ") + n + " " + plural(n, "материал", "материала", "материалов") + " по запросу «" + q + "»";
    if (current.matches.length) return "По запросу «" + q + "» с выбранными условиями ничего не найдено. Снимите часть отметок.";
    return "По запросу «" + q + "» ничего не найдено. Проверьте написание или попробуйте другие слова.";
  }

  /* Show the next ten results (or the first ten, with ``reset``); a newer view wins. */
  function showResults(e, reset) {
    if (reset) { list.textContent = ""; current.shown = 0; current.view++; }
    var view = current.view;
    var visible = current.matches.filter(function (m) { return selected(m, e, -1); });
    var n = visible.length;
    status.textContent = describe(n, current.query);
    var slice = visible.slice(current.shown, current.shown + PAGE);
    current.shown += slice.length;
    more.hidden = current.shown >= n;
    more.disabled = true;
    return Promise.all(slice.map(function (m) { return fragment(m.posting[0]); })).then(function (found) {
      if (view !== current.view) return null;
      more.disabled = false;
      var focusTarget = null;
      found.forEach(function (f, i) {
        var li = renderItem(e, slice[i], f, current.terms);
        if (!focusTarget) focusTarget = li.querySelector("a");
        list.appendChild(li);
      });
      return focusTarget;
    });
  }

  function search(query, reload) {
    var run = ++current.run;
    current.view++;
    current.query = query.trim();
    current.chosen = Object.create(null);
    list.textContent = "";
    filtersBox.textContent = "";
    more.hidden = true;
    if (!current.query) { status.textContent = "Введите слово или фразу."; return Promise.resolve(); }
    status.textContent = "Ищем «" + current.query + "»…";
    return Promise.all([loadEntry(reload), loadStemmer()]).then(function (loaded) {
      var e = loaded[0];
      var terms = queryTerms(current.query);
      if (!terms.length) {
        status.textContent = "Запрос «" + current.query + "» состоит из слишком общих слов. Уточните его.";
        return;
      }
      return match(e, terms).then(function (matches) {
        if (run !== current.run) return;
        current.matches = matches;
        current.terms = terms;
        renderFilters(e);
        return showResults(e, true);
      });
    }).catch(function () {
      if (run !== current.run) return;
      // The files named by an entry from before the last publication are gone: once more,
      // with the entry fetched past the cache.
      if (!reload) return search(query, true);
      status.textContent = "Поиск временно недоступен. Попробуйте обновить страницу.";
    });
  }

  function retry() { return search(current.query, true); }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value;
    var url = new URL(window.location.href);
    url.searchParams.set("q", query);
    window.history.pushState({ q: query }, "", url);
    search(query);
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
