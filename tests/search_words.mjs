// The browser's side of tests/test_search_words.py, in Node without a browser: reads a job
// from standard input — {"words_js": the shipped search-words.js, "stemmer": the shipped
// stemmer module, "stop_words": [...], "tokens": [text...], "terms": [word...],
// "buckets": [[term, count]...]} — and prints what the shipped JavaScript makes of it,
// in the same shape: {"tokens": [[...]...], "terms": [term or null...], "buckets": [n...]};
// "keys": [[term, letters]...] gives each term's key.
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

// With "index" (a built site's search-index/ folder) and "queries": the files the search page's
// own functions ask for, query by query, in order (as ratusha.search.cost.query_files).
async function queryFiles(query) {
  const asked = [];
  const get = async (path) => {
    if (!asked.includes(path)) asked.push(path);
    return JSON.parse(readFileSync(`${job.index}/${path}`, "utf8"));
  };
  const entry = await get("entry.json");
  if (!words.tokens(query).some((w) => words.term(w, stop, stemmer))) return asked;
  const groups = await words.groups(entry, get, query, stop, stemmer, job.expand);
  const ranked = await words.ensure(groups, get, job.page);
  for (const result of ranked.results.slice(0, job.page)) await get(`f/${result.posting[0]}.json`);
  return asked;
}

const queries = [];
for (const query of job.queries || []) queries.push(await queryFiles(query));

process.stdout.write(
  JSON.stringify({
    tokens: job.tokens.map((text) => words.tokens(text)),
    terms: job.terms.map((word) => words.term(word, stop, stemmer)),
    buckets: job.buckets.map(([term, count]) => words.bucketOf(term, count)),
    keys: (job.keys || []).map(([term, key]) => words.keyOf(term, key)),
    queries,
  }),
);
