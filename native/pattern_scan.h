// Pattern scanner for logs written from an order string (EJBCA's ocsp.trx-log-order): an
// optional log4j prefix, then literal separators between fields. Plain C++, no N-API.
// Mirrors src/native/fallback/pattern-scan.ts.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "interner.h"

namespace certcrunch {

enum PatternRecordKind : uint8_t {
  kPatternRow = 0,
  kPatternOtherLogger = 1,  // a prefixed line of another logger: not a record
  kPatternGarbage = 2,      // nothing of the order matched
  kPatternTruncated = 3,    // a separator is missing
  kPatternBadHex = 4,       // a hex field is not even-length hex (the single "0" is allowed)
  kPatternBadNumber = 5,    // a numeric field is not an integer
};

enum PrefixOp : uint8_t {
  kOpLiteral = 1,         // the text must follow
  kOpSkip = 2,            // skip a fixed number of bytes
  kOpSkipUntil = 3,       // skip to just past the next occurrence of the text
  kOpCategoryUntil = 4,   // the logger category runs to the text; it must be an accepted one
};

enum FieldKind : uint8_t {
  kFieldIgnore = 0,
  kFieldIntern = 1,      // interned into `slot`
  kFieldHex = 2,         // validated as hex, interned into `slot` when slot >= 0
  kFieldNumber = 3,      // parsed as a signed integer into nums[`slot`]
  kFieldInternMasked = 4,  // interned into `slot` with the `mask` positions read as '0' (a time's seconds)
};

struct PrefixStep {
  PrefixOp op;
  uint32_t count;
  std::string text;
};

struct FieldSpec {
  FieldKind kind;
  int32_t slot;
};

// The compiled order + layout. Built from the spec blob of src/formats/ejbca/pattern-spec.ts.
struct PatternProgram {
  std::vector<std::string> literals;  // fields.size() + 1
  std::vector<FieldSpec> fields;
  std::vector<PrefixStep> prefix;     // empty: bare layout
  std::vector<std::string> categories;
  std::string suffix;                 // text the layout writes after the message (e.g. " " of "%m %n")
  std::vector<uint32_t> mask;         // character positions kFieldInternMasked values read as '0'
  uint32_t slots = 0;
  uint32_t nums = 0;

  // Parses the blob; returns an error message, or empty on success.
  std::string Parse(const uint8_t* blob, size_t len);
};

struct PatternScanInput {
  const uint8_t* buf;
  size_t from, to, limit;
  bool at_eof;
};

struct PatternScanOutput {
  uint32_t* offsets;
  uint8_t* kinds;
  uint32_t* ids;   // capacity * slots
  double* nums;    // capacity * nums
  size_t capacity;
  size_t resume;
};

size_t ScanPattern(const PatternProgram& program, const PatternScanInput& in, Interner& interner,
                   PatternScanOutput& out);

}  // namespace certcrunch
