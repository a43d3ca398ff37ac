/* Words as the search index sees them, in the browser: the same tokens, terms and buckets
   as plugins/ratusha/search/words.py and index.py compute at build time, and which files of
   the index a query needs, in the order plugins/ratusha/search/cost.py follows. The stemmer is not
   here: term() is given Snowball's Russian stemmer, which the search page loads from the
   npm package the build ships (plugins/ratusha/search/stemmer.py). tests/search_cases.json
   holds what both languages must agree on; tests/test_search_words.py runs it through the
   Python functions and, in Node, through this very file. A classic script in the browser
   (window.RatushaSearchWords), a CommonJS module in Node. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.RatushaSearchWords = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var WORD = /[\p{L}\p{N}]+/gu;
  var STRESS = /[\u0300\u0301]/g;
  var SOFT_HYPHEN = /\u00ad/g;
  var CYRILLIC = /[а-я]/;
  var NUMBER = /^\p{N}$/u;

  /* Lower-case words of a text, ё as е, stress marks and soft hyphens dropped, as in words.tokens(). */
  function tokens(text) {
    var normal = text.replace(SOFT_HYPHEN, "").normalize("NFD").replace(STRESS, "").normalize("NFC").toLowerCase().replace(/ё/g, "е");
    return normal.match(WORD) || [];
  }

  /* The index term of a word (stem: Snowball's Russian stemmer), or null for a stop word or
     a lone letter, as words.term(). */
  function term(word, stopWords, stem) {
    if (stopWords[word] || (Array.from(word).length === 1 && !NUMBER.test(word))) return null;
    return CYRILLIC.test(word) ? stem(word) : word;
  }

  /* FNV-1a (32 bits) over UTF-16 code units, modulo the number of buckets, as index.bucket_of(). */
  function bucketOf(t, buckets) {
    var h = 0x811c9dc5;
    for (var k = 0; k < t.length; k++) {
      h ^= t.charCodeAt(k);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % buckets;
  }

  /* The first `key` letters (code points) of a term: its bucket is that of its key (index.key_of()). */
  function keyOf(t, key) { return Array.from(t).slice(0, key).join(""); }

  function bucketName(entry, t) { return "b/" + entry.buckets[bucketOf(keyOf(t, entry.key), entry.buckets.length)] + ".json"; }

  function parse(postings) {
    return postings ? postings.split(";").map(function (line) {
      return line.split(",").map(function (v, i) { return i ? Number(v) : v; });
    }) : [];
  }

  function byCodeUnits(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  /* The query's groups of terms, as the index answers them: every word is a group of one term,
     but for the last word when its own term is not in the index and the query does not end in a
     space: then it is the beginning of a word, and its group is its `expand` most frequent
     completions (terms of the index starting with it). `get(path)` returns a promise of the
     parsed file; every file the query needs is asked for through it, in this order. */
  function groups(entry, get, query, stopWords, stem, expand) {
    var seen = Object.create(null), words = [];
    var toks = tokens(query);
    toks.forEach(function (w, i) {
      var t = term(w, stopWords, stem);
      if (t && !seen[t]) { seen[t] = true; words.push({ term: t, token: w, last: i === toks.length - 1 }); }
    });
    var open = toks.length && !/\s$/.test(query);
    return Promise.all(words.map(function (w) {
      return get(bucketName(entry, w.term)).then(function (bucket) {
        if (Object.prototype.hasOwnProperty.call(bucket, w.term)) return [alternative(entry, w.term, bucket[w.term])];
        if (!(open && w.last && Array.from(w.token).length >= entry.key)) return [];
        return get(bucketName(entry, w.token)).then(function (b) {
          var found = Object.keys(b).filter(function (t) { return t.indexOf(w.token) === 0; }).map(function (t) {
            return alternative(entry, t, b[t]);
          });
          found.sort(function (x, y) { return y.df - x.df || byCodeUnits(x.term, y.term); });
          return found.slice(0, expand);
        });
      });
    }));
  }

  /* One term of a group: its postings loaded so far and the chunks still to load. */
  function alternative(entry, t, value) {
    var a = typeof value === "string"
      ? { term: t, df: value.split(";").length, postings: parse(value), chunks: [], counts: null }
      : { term: t, df: value.n, postings: [], chunks: value.c.slice(), counts: value.f || null };
    a.idf = Math.log(1 + (entry.documents - a.df + 0.5) / (a.df + 0.5));
    return a;
  }

  function bound(a) { return a.chunks.length ? a.chunks[0][1] * a.idf : 0; }

  /* What the postings loaded so far prove. A page's score is the sum over groups of its best
     weight × idf in the group; a page must be in every group. A term not fully loaded may still
     hold a page with at most its next chunk's first weight (postings are in order of weight), so
     a page not yet seen in a group may add at most that group's bound. The results proven are
     the pages seen in every group with an exact score above every other page's upper bound (or
     equal to it, with one term: the chunks are in the order of the results). */
  function rank(gs) {
    var docs = Object.create(null), order = [];
    var complete = gs.every(function (g) { return g.every(function (a) { return !a.chunks.length; }); });
    gs.forEach(function (g, gi) {
      g.forEach(function (a, ai) {
        a.postings.forEach(function (p) {
          var d = docs[p[0]];
          if (!d) { d = docs[p[0]] = { posting: p, known: [], found: [] }; order.push(d); }
          var s = p[1] * a.idf;
          if (d.known[gi] === undefined || s > d.known[gi]) d.known[gi] = s;
          (d.found[gi] = d.found[gi] || [])[ai] = true;
        });
      });
    });
    var unseen = 0, live = [], exact = [], matched = 0;
    gs.forEach(function (g) {
      var b = -Infinity;
      g.forEach(function (a) { if (a.chunks.length) b = Math.max(b, bound(a)); });
      unseen += b;
    });
    if (!gs.length) unseen = -Infinity;
    order.forEach(function (d) {
      var lower = 0, upper = 0, sure = true, all = true;
      for (var gi = 0; gi < gs.length; gi++) {
        var best = -Infinity;
        gs[gi].forEach(function (a, ai) {
          if (a.chunks.length && !(d.found[gi] && d.found[gi][ai])) best = Math.max(best, bound(a));
        });
        if (d.known[gi] === undefined) {
          all = false;
          if (best === -Infinity) { upper = -Infinity; break; }
          upper += best; sure = false;
        } else {
          lower += d.known[gi];
          if (best > d.known[gi]) { sure = false; upper += best; } else upper += d.known[gi];
        }
      }
      if (upper === -Infinity) return;
      if (all) matched++;
      if (all && sure) { d.score = lower; exact.push(d); } else live.push(upper);
    });
    exact.sort(function (x, y) { return y.score - x.score || byCodeUnits(x.posting[0], y.posting[0]); });
    var threshold = unseen;
    live.forEach(function (u) { if (u > threshold) threshold = u; });
    var single = gs.length === 1 && gs[0].length === 1;
    var proven = complete ? exact.length : 0;
    if (!complete) {
      while (proven < exact.length && (exact[proven].score > threshold || (single && exact[proven].score >= threshold))) proven++;
    }
    var total = complete ? exact.length : single ? gs[0][0].df : null;
    return { results: exact.slice(0, proven), complete: complete, total: total, atLeast: matched };
  }

  /* Load chunks until `wanted` results are proven (or every chunk is loaded, `wanted` Infinity):
     the next chunk is always that of the term with the highest bound (the first such term). */
  function ensure(gs, get, wanted) {
    var r = rank(gs);
    if (r.complete || r.results.length >= wanted) return Promise.resolve(r);
    var next = null;
    gs.forEach(function (g) { g.forEach(function (a) { if (a.chunks.length && (!next || bound(a) > bound(next))) next = a; }); });
    var chunk = next.chunks.shift();
    return get("c/" + chunk[0] + ".json").then(function (postings) {
      next.postings = next.postings.concat(parse(postings));
      return ensure(gs, get, wanted);
    });
  }

  return {
    tokens: tokens, term: term, bucketOf: bucketOf, keyOf: keyOf,
    groups: groups, rank: rank, ensure: ensure,
  };
});
