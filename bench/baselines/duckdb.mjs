// DuckDB baseline: `node bench/baselines/duckdb.mjs FILE [--report]` answers the questions of the
// contract's proxysg report on a generated ELFF file, the fastest way we found for DuckDB: load the
// needed columns into a table once, then one query per report table. Prints one JSON line
// { seconds (load + queries), loadSeconds, rows, rejected }; --report adds the tables themselves.
// Exit code 3 (with { unavailable }) when @duckdb/node-api cannot be loaded.
const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/baselines/duckdb.mjs FILE [--report]');
  process.exit(2);
}

let DuckDBInstance;
try {
  ({ DuckDBInstance } = await import('@duckdb/node-api'));
} catch (e) {
  console.log(JSON.stringify({ unavailable: String(e.message ?? e).split('\n')[0] }));
  process.exit(3);
}

// The 26 bcreporterssl_v2 columns written by `certcrunch generate proxysg`.
const COLUMNS = ('date time c_ip x_exception_id sc_filter_result cs_categories sc_status s_action cs_method ' +
  'rs_content_type cs_uri_scheme cs_host cs_uri_port cs_uri_extension s_ip sc_bytes cs_bytes x_virus_id ' +
  'x_rs_certificate_observed_errors x_cs_ocsp_error x_rs_ocsp_error x_rs_connection_negotiated_cipher_strength ' +
  'x_rs_certificate_hostname x_rs_certificate_hostname_category cs_threat_risk x_rs_certificate_hostname_threat_risk').split(' ');
const TYPES = { date: 'DATE', time: 'TIME' };
const columnSpec = `{${COLUMNS.map((c) => `'${c}': '${TYPES[c] ?? 'VARCHAR'}'`).join(', ')}}`;
const TOP = 20;

// Options, each needed on the generated file:
// - comment='#' skips the ELFF directives; auto_detect=false since the columns are given.
// - encoding='latin-1': the file mixes UTF-8 and Latin-1 values, and the default UTF-8 reader
//   rejects whole records for invalid bytes; Latin-1 accepts every byte (UTF-8 text then reads as
//   mojibake, which does not change any count).
// - store_rejects=true: the rare `"Books"Fiction;News"` field (a quote inside a quoted value, legal
//   ELFF) is not valid CSV, so those records are skipped and counted in reject_errors.
//   ignore_errors=true alone would do that too, but with a parallel scan it silently stops after
//   the first bad record in DuckDB 1.5 (12k of 322k rows); store_rejects keeps the parallel scan.
const source = `read_csv('${file.replaceAll("'", "''")}', delim=' ', quote='"', header=false, comment='#',
  auto_detect=false, encoding='latin-1', store_rejects=true, columns=${columnSpec})`;

// Error tokens: split on ';' and ',', trimmed, lower-cased, '', '-' and 'none' dropped.
const LOAD = `CREATE TABLE r AS SELECT
  date + time AS ts, c_ip, lower(cs_host) AS host, cs_categories, x_exception_id, sc_filter_result, s_action,
  x_cs_ocsp_error, x_rs_ocsp_error, x_rs_connection_negotiated_cipher_strength AS cipher, cs_threat_risk,
  list_filter(list_transform(string_split_regex(x_rs_certificate_observed_errors, '[;,]'), e -> lower(trim(e))),
              e -> e NOT IN ('', '-', 'none')) AS errs
FROM ${source}`;

const count = (col, where = 'true') => `SELECT ${col} AS key, count(*) AS n FROM r WHERE ${where} GROUP BY ALL ORDER BY n DESC, key`;
const QUERIES = {
  requests: `SELECT count(*) AS requests, count(*) FILTER (len(errs) > 0) AS requestsWithCertErrors FROM r`,
  certErrors: `SELECT e AS key, count(*) AS n FROM (SELECT unnest(errs) AS e FROM r) GROUP BY e ORDER BY n DESC, key`,
  topHosts: `WITH top AS (
      SELECT host, count(*) AS requests, count(*) FILTER (len(errs) > 0) AS certErrorRequests,
             count(DISTINCT c_ip) FILTER (len(errs) > 0) AS clients
      FROM r GROUP BY host HAVING certErrorRequests > 0 ORDER BY certErrorRequests DESC, host LIMIT ${TOP}),
    by_error AS (
      SELECT host, histogram(e) AS byError
      FROM (SELECT host, unnest(errs) AS e FROM r WHERE len(errs) > 0 AND host IN (SELECT host FROM top)) GROUP BY host)
    SELECT top.*, byError FROM top JOIN by_error USING (host) ORDER BY certErrorRequests DESC, host`,
  byCategory: `SELECT c AS key, count(*) AS requests, count(*) FILTER (bad) AS certErrorRequests
    FROM (SELECT unnest(list_filter(list_transform(string_split(cs_categories, ';'), x -> trim(x)), x -> x <> '')) AS c,
                 len(errs) > 0 AS bad FROM r)
    GROUP BY c ORDER BY requests DESC, key`,
  byCipherStrength: count('cipher'),
  byFilterResult: count('sc_filter_result'),
  byAction: count('s_action'),
  byException: count('x_exception_id', `x_exception_id <> '-'`),
  byThreatRisk: count('cs_threat_risk'),
  ocspErrors: `SELECT v AS key, count(*) AS n FROM (SELECT x_cs_ocsp_error AS v FROM r UNION ALL SELECT x_rs_ocsp_error FROM r)
    WHERE v <> '-' GROUP BY v ORDER BY n DESC, key`,
  timeline: `SELECT strftime(date_trunc('hour', ts), '%Y-%m-%dT%H:00:00Z') AS start, count(*) AS requests,
      count(*) FILTER (len(errs) > 0) AS certErrorRequests
    FROM r GROUP BY ALL ORDER BY start`,
};

const started = process.hrtime.bigint();
const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run('SET threads=2');
await con.run(LOAD);
const loadSeconds = seconds();
const report = {};
// Every result is read into JS, as a report writer would have to.
for (const [name, sql] of Object.entries(QUERIES)) report[name] = (await con.runAndReadAll(sql)).getRowObjectsJson();
const elapsed = seconds();

const one = async (sql) => Number((await con.runAndReadAll(sql)).getRows()[0][0]);
const result = { seconds: elapsed, loadSeconds, rows: await one('SELECT count(*) FROM r'), rejected: await one('SELECT count(*) FROM reject_errors') };
if (process.argv.includes('--report')) result.report = report;
console.log(JSON.stringify(result));
