/* Words as the search index sees them, in the browser: the same tokens, terms and buckets
   as plugins/search/words.py and index.py compute at build time. The Russian stemmer is
   Snowball's algorithm (snowballstem.org/algorithms/russian/stemmer.html), written out
   here; tests/browser/test_search.py compares it with the build's stemmer word by word. */
(function (root) {
  "use strict";

  var VOWELS = "аеиоуыэюя";
  var GERUND = [["в", "вши", "вшись"], ["ив", "ивши", "ившись", "ыв", "ывши", "ывшись"]];
  var ADJECTIVE = [["ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом",
    "его", "ого", "ему", "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"]];
  var PARTICIPLE = [["ем", "нн", "вш", "ющ", "щ"], ["ивш", "ывш", "ующ"]];
  var REFLEXIVE = [["ся", "сь"]];
  var VERB = [["ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно"],
    ["ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен", "ило",
      "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю"]];
  var NOUN = [["а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий",
    "й", "иям", "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия",
    "ья", "я"]];
  var DERIVATIONAL = [["ост", "ость"]];
  var TIDY = [["ейш", "ейше"], ["н"], ["ь"]];

  function isVowel(c) { return VOWELS.indexOf(c) >= 0; }

  /* Snowball's among: the longest ending of word[limit:] in any group, or null. */
  function among(word, limit, groups) {
    var best = null;
    for (var g = 0; g < groups.length; g++) {
      for (var i = 0; i < groups[g].length; i++) {
        var ending = groups[g][i];
        if ((!best || ending.length > best.ending.length) && word.length - ending.length >= limit &&
            word.slice(word.length - ending.length) === ending) {
          best = { ending: ending, group: g };
        }
      }
    }
    return best;
  }

  /* Remove the ending found by among; group 0 of a two-group list needs а or я before it. */
  function remove(word, limit, groups, needsA) {
    var found = among(word, limit, groups);
    if (!found) return null;
    var rest = word.slice(0, word.length - found.ending.length);
    if (needsA && found.group === 0) {
      var before = rest.charAt(rest.length - 1);
      if (rest.length - 1 < limit || (before !== "а" && before !== "я")) return null;
    }
    return rest;
  }

  function stem(word) {
    var i = 0, n = word.length;
    while (i < n && !isVowel(word.charAt(i))) i++;
    if (i >= n) return word;
    var rv = i + 1, p2 = n;
    var j = rv;
    while (j < n && isVowel(word.charAt(j))) j++;        // past the next non-vowel: R1
    if (j < n) {
      j++;
      while (j < n && !isVowel(word.charAt(j))) j++;      // then a vowel and a non-vowel: R2
      if (j < n) {
        j++;
        while (j < n && isVowel(word.charAt(j))) j++;
        if (j < n) p2 = j + 1;
      }
    }
    var w = remove(word, rv, GERUND, true);
    if (w === null) {
      w = remove(word, rv, REFLEXIVE, false) || word;
      var adjective = remove(w, rv, ADJECTIVE, false);
      if (adjective !== null) {
        w = remove(adjective, rv, PARTICIPLE, true) || adjective;
      } else {
        w = remove(w, rv, VERB, true) || remove(w, rv, NOUN, false) || w;
      }
    }
    if (w.length - 1 >= rv && w.charAt(w.length - 1) === "и") w = w.slice(0, -1);
    var derivational = among(w, rv, DERIVATIONAL);
    if (derivational && w.length - derivational.ending.length >= p2) w = w.slice(0, w.length - derivational.ending.length);
    var tidy = among(w, rv, TIDY);
    if (tidy && tidy.group === 0) {
      w = w.slice(0, w.length - tidy.ending.length);
      if (w.length - 2 >= rv && w.slice(-2) === "нн") w = w.slice(0, -1);
    } else if (tidy && tidy.group === 1) {
      if (w.length - 2 >= rv && w.slice(-2) === "нн") w = w.slice(0, -1);
    } else if (tidy) {
      w = w.slice(0, -1);
    }
    return w;
  }

  var WORD = /[\p{L}\p{N}]+/gu;
  var CYRILLIC = /[а-я]/;

  /* Lower-case words of a text, ё as е and stress marks dropped, as in words.tokens(). */
  function tokens(text) {
    var normal = text.normalize("NFD").replace(/[\u0300\u0301]/g, "").normalize("NFC").toLowerCase().replace(/ё/g, "е");
    return normal.match(WORD) || [];
  }

  /* The index term of a word, or null for a stop word or a lone letter. */
  function term(word, stopWords) {
    if (stopWords[word] || (Array.from(word).length === 1 && !/^\p{N}$/u.test(word))) return null;
    return CYRILLIC.test(word) ? stem(word) : word;
  }

  /* FNV-1a over UTF-16 code units, modulo the number of buckets, as index.bucket_of(). */
  function bucketOf(t, buckets) {
    var h = 0x811c9dc5;
    for (var k = 0; k < t.length; k++) {
      h ^= t.charCodeAt(k);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % buckets;
  }

  root.RatushaSearchWords = { stem: stem, tokens: tokens, term: term, bucketOf: bucketOf };
})(window);
