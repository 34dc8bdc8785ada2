// Naive Node baseline: `node bench/baselines/naive-readline.mjs FILE [--report]`, the parser a
// developer writes first (readline, a small tokenizer, an object per record, Maps for the tables)
// for the contract's proxysg report. Prints one JSON line { seconds, rows, malformed }; --report
// adds the tables themselves.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/baselines/naive-readline.mjs FILE [--report]');
  process.exit(2);
}
const TOP = 20;

/** Space-separated fields; one that begins with `"` runs to the next `"` before a space or the end. */
function tokenize(line) {
  const fields = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') { i++; continue; }
    if (line[i] === '"') {
      let close = line.indexOf('"', i + 1);
      while (close !== -1 && close + 1 < line.length && line[close + 1] !== ' ') close = line.indexOf('"', close + 1);
      if (close === -1) return null; // unterminated quote
      fields.push(line.slice(i + 1, close));
      i = close + 1;
    } else {
      let end = line.indexOf(' ', i);
      if (end === -1) end = line.length;
      fields.push(line.slice(i, end));
      i = end;
    }
  }
  return fields;
}

const bump = (map, key, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

const started = process.hrtime.bigint();
let names = null;
let malformed = 0;
let requests = 0;
let requestsWithCertErrors = 0;
const certErrors = new Map();
const hosts = new Map(); // host -> { requests, certErrorRequests, byError: Map, clients: Set }
const byCategory = new Map();
const byCipherStrength = new Map();
const byFilterResult = new Map();
const byAction = new Map();
const byException = new Map();
const byThreatRisk = new Map();
const ocspErrors = new Map();
const timeline = new Map();

// readline decodes UTF-8, so Latin-1 bytes become U+FFFD: the counts stay right, a few names do not.
const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
for await (const line of lines) {
  if (line === '') continue;
  if (line.startsWith('#')) {
    if (line.startsWith('#Fields:')) names = line.slice(8).trim().split(/ +/);
    continue;
  }
  const values = tokenize(line);
  if (!names || !values || values.length !== names.length) { malformed++; continue; }
  const rec = {};
  for (let i = 0; i < names.length; i++) rec[names[i]] = values[i];

  requests++;
  const errors = rec['x-rs-certificate-observed-errors'].split(/[;,]/).map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && e !== '-' && e !== 'none');
  const bad = errors.length > 0;
  if (bad) requestsWithCertErrors++;
  for (const e of errors) bump(certErrors, e);

  const hostName = rec['cs-host'].toLowerCase();
  let host = hosts.get(hostName);
  if (!host) hosts.set(hostName, (host = { requests: 0, certErrorRequests: 0, byError: new Map(), clients: new Set() }));
  host.requests++;
  if (bad) {
    host.certErrorRequests++;
    host.clients.add(rec['c-ip']);
    for (const e of errors) bump(host.byError, e);
  }

  for (const c of rec['cs-categories'].split(';').map((s) => s.trim()).filter(Boolean)) {
    let cat = byCategory.get(c);
    if (!cat) byCategory.set(c, (cat = { requests: 0, certErrorRequests: 0 }));
    cat.requests++;
    if (bad) cat.certErrorRequests++;
  }
  bump(byCipherStrength, rec['x-rs-connection-negotiated-cipher-strength']);
  bump(byFilterResult, rec['sc-filter-result']);
  bump(byAction, rec['s-action']);
  if (rec['x-exception-id'] !== '-') bump(byException, rec['x-exception-id']);
  bump(byThreatRisk, rec['cs-threat-risk']);
  if (rec['x-cs-ocsp-error'] !== '-') bump(ocspErrors, rec['x-cs-ocsp-error']);
  if (rec['x-rs-ocsp-error'] !== '-') bump(ocspErrors, rec['x-rs-ocsp-error']);

  const hour = `${rec.date}T${rec.time.slice(0, 2)}:00:00Z`;
  let slot = timeline.get(hour);
  if (!slot) timeline.set(hour, (slot = { requests: 0, certErrorRequests: 0 }));
  slot.requests++;
  if (bad) slot.certErrorRequests++;
}

const topHosts = [...hosts].filter(([, h]) => h.certErrorRequests > 0)
  .sort(([a, x], [b, y]) => y.certErrorRequests - x.certErrorRequests || (a < b ? -1 : a > b ? 1 : 0))
  .slice(0, TOP)
  .map(([host, h]) => ({ host, requests: h.requests, certErrorRequests: h.certErrorRequests, byError: Object.fromEntries(h.byError), clients: h.clients.size }));
const report = {
  requests, requestsWithCertErrors, certErrors: Object.fromEntries(certErrors), topHosts,
  byCategory: Object.fromEntries(byCategory), byCipherStrength: Object.fromEntries(byCipherStrength),
  byFilterResult: Object.fromEntries(byFilterResult), byAction: Object.fromEntries(byAction),
  byException: Object.fromEntries(byException), byThreatRisk: Object.fromEntries(byThreatRisk),
  ocspErrors: Object.fromEntries(ocspErrors),
  timeline: [...timeline].sort(([a], [b]) => (a < b ? -1 : 1)).map(([start, t]) => ({ start, ...t })),
};
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const result = { seconds, rows: requests, malformed };
if (process.argv.includes('--report')) result.report = report;
console.log(JSON.stringify(result));
