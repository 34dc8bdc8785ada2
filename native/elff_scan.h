// ELFF block scanner: splits a block into lines, tokenizes data records, interns the
// selected fields and counts each well-formed record into an ElffTally. Plain C++ over
// const uint8_t*, no N-API, so it can be tested and fuzzed on its own. Mirrors
// src/native/fallback/elff-scan.ts.
#pragma once
#include <cstddef>
#include <cstdint>

#include "elff_tally.h"

namespace certcrunch {

enum RecordKind : uint8_t {
  kData = 0,
  kDirective = 1,
  kNoFields = 2,
  kUnterminatedQuote = 3,
  kFieldCount = 4,
};

constexpr uint32_t kNoId = 0xFFFFFFFFu;
// Parsed dates are stored as days since 1970-01-01 plus this bias, so they stay unsigned.
constexpr int64_t kDayBias = 1 << 20;

// `YYYY-MM-DD` (a real calendar date) → days since 1970-01-01 + kDayBias, else kNoId.
uint32_t ParseElffDate(const uint8_t* p, size_t len);
// `HH:MM:SS` (hour <= 23, minute <= 59, second <= 60) → seconds since midnight, else kNoId;
// a leap second (:60) counts as :59.
uint32_t ParseElffTime(const uint8_t* p, size_t len);

struct ElffScanInput {
  const uint8_t* buf;
  size_t from, to, limit;  // caller guarantees from <= to <= buffer length
  bool at_eof;
  int32_t field_count;     // -1: no #Fields yet
  const int32_t* col_slot; // field_count entries (when >= 0)
  uint32_t slots;
  int32_t date_slot;       // slot whose value is parsed as a date instead of interned, or -1
  int32_t time_slot;       // likewise for a time of day
  int32_t error_slot;      // slot whose values tell records with certificate errors, or -1
  bool emit_all;           // write every data record out, not only those with certificate errors
  uint32_t prefix_tokens;  // leading tokens of each line before its ELFF text (a syslog header), or 0
};

struct ElffScanOutput {
  uint32_t* offsets;
  uint8_t* kinds;
  uint32_t* ids;           // capacity * slots entries
  size_t capacity;
  size_t resume;           // written: where to continue
  size_t counted;          // written: data records counted into the tally
};

// Writes directives, malformed lines and the data records with certificate errors (all data
// records with emit_all) to `out`; every data record is counted into `tally`.
size_t ScanElff(const ElffScanInput& in, ElffTally& tally, ElffScanOutput& out);

}  // namespace certcrunch
