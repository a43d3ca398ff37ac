// The browser's side of tests/test_search_words.py, in Node without a browser: reads a job
// from standard input — {"words_js": the shipped search-words.js, "stemmer": the shipped
// stemmer module, "stop_words": [...], "tokens": [text...], "terms": [word...],
// "buckets": [[term, count]...]} — and prints what the shipped JavaScript makes of it,
// in the same shape: {"tokens": [[...]...], "terms": [term or null...], "buckets": [n...]}.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const job = JSON.parse(readFileSync(0, "utf8"));
// search-words.js is a classic script in the browser and a CommonJS module here.
const words = createRequire(import.meta.url)(job.words_js);
// The stemmer is an ES module named .js; imported from its bytes, whatever Node's detection of modules.
const source = readFileSync(job.stemmer).toString("base64");
const { stemmer } = await import(`data:text/javascript;base64,${source}`);
const stop = Object.create(null);
for (const word of job.stop_words) stop[word] = true;

process.stdout.write(
  JSON.stringify({
    tokens: job.tokens.map((text) => words.tokens(text)),
    terms: job.terms.map((word) => words.term(word, stop, stemmer)),
    buckets: job.buckets.map(([term, count]) => words.bucketOf(term, count)),
  }),
);
