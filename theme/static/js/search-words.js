/* Words as the search index sees them, in the browser: the same tokens, terms and buckets
   as plugins/ratusha/search/words.py and index.py compute at build time. The stemmer is not
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

  return { tokens: tokens, term: term, bucketOf: bucketOf };
});
