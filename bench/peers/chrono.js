#!/usr/bin/env node
// bench/peers/chrono.js - chrono-node's Swedish parser over the benchmark files.
//
//   node chrono.js LISTFILE [LIMIT]
//
// Reads every path in LISTFILE (one per line; the first LIMIT when given),
// runs chrono.sv.parse over its text with a fixed reference date, and writes
// one NDJSON line per file (source and the dates found, ISO) to standard
// output, as evx writes one record per file. A summary goes to stderr as JSON.
'use strict';
const fs = require('fs');
const path = require('path');
const chrono = require(path.join(__dirname, '..', 'node_modules', 'chrono-node'));

const list = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const limit = process.argv[3] ? Math.min(list.length, parseInt(process.argv[3], 10)) : list.length;
const ref = new Date(Date.UTC(2024, 0, 1, 12));
const t0 = process.hrtime.bigint();
let bytes = 0, found = 0;
const out = [];
for (let i = 0; i < limit; i++) {
  const buf = fs.readFileSync(list[i]);
  bytes += buf.length;
  const results = chrono.sv.parse(buf.toString('utf8'), ref);
  found += results.length;
  out.push(JSON.stringify({
    source: list[i],
    dates: results.map(r => ({ text: r.text, index: r.index, start: r.start.date().toISOString(),
                               end: r.end ? r.end.date().toISOString() : null })),
  }));
  if (out.length >= 256) {
    fs.writeSync(1, out.join('\n') + '\n');
    out.length = 0;
  }
}
if (out.length)
  fs.writeSync(1, out.join('\n') + '\n');
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
process.stderr.write(JSON.stringify({ documents: limit, bytes, dates: found, seconds: secs }) + '\n');
