#include "elff_scan.h"

#include <cstring>

namespace certcrunch {

namespace {
constexpr uint8_t kLF = 0x0A, kCR = 0x0D, kSpace = 0x20, kTab = 0x09, kQuote = 0x22, kHash = 0x23;

inline bool IsBlank(const uint8_t* p, size_t start, size_t end) {
  for (size_t i = start; i < end; i++) {
    if (p[i] != kSpace && p[i] != kTab) return false;
  }
  return true;
}

// Tokenizes [start, end) of one line; fills ids[0..slots) for the selected columns.
RecordKind Tokenize(const ElffScanInput& in, size_t start, size_t end, Interner& interner, uint32_t* ids) {
  for (uint32_t s = 0; s < in.slots; s++) ids[s] = kNoId;
  const uint8_t* p = in.buf;
  int64_t field = 0;
  size_t i = start;
  for (;;) {
    while (i < end && p[i] == kSpace) i++;
    if (i >= end) break;
    size_t value_start, value_end;
    if (p[i] == kQuote) {
      // A quoted value ends at the first '"' followed by a space or the end of the line.
      value_start = i + 1;
      size_t q = value_start;
      for (;;) {
        const void* hit = q < end ? std::memchr(p + q, kQuote, end - q) : nullptr;
        if (hit == nullptr) return kUnterminatedQuote;
        q = static_cast<size_t>(static_cast<const uint8_t*>(hit) - p);
        if (q + 1 == end || p[q + 1] == kSpace) break;
        q++;
      }
      value_end = q;
      i = q + 1;
    } else {
      value_start = i;
      while (i < end && p[i] != kSpace) i++;
      value_end = i;
    }
    if (field < in.field_count) {
      const int32_t slot = in.col_slot[field];
      if (slot >= 0 && static_cast<uint32_t>(slot) < in.slots) {
        ids[slot] = interner.Table(static_cast<size_t>(slot)).Intern(p + value_start, value_end - value_start);
      }
    }
    field++;
  }
  return field == in.field_count ? kData : kFieldCount;
}
}  // namespace

size_t ScanElff(const ElffScanInput& in, Interner& interner, ElffScanOutput& out) {
  const uint8_t* p = in.buf;
  size_t pos = in.from;
  size_t n = 0;
  while (pos < in.limit && pos < in.to && n < out.capacity) {
    const void* hit = std::memchr(p + pos, kLF, in.to - pos);
    size_t nl;
    if (hit == nullptr) {
      if (!in.at_eof) break;
      nl = in.to;
    } else {
      nl = static_cast<size_t>(static_cast<const uint8_t*>(hit) - p);
    }
    const size_t line_start = pos;
    size_t end = nl;
    if (end > line_start && p[end - 1] == kCR) end--;
    pos = nl < in.to ? nl + 1 : in.to;

    if (IsBlank(p, line_start, end)) continue;
    out.offsets[n] = static_cast<uint32_t>(line_start);
    if (p[line_start] == kHash) {
      out.kinds[n++] = kDirective;
      break;
    }
    if (in.field_count < 0) {
      out.kinds[n++] = kNoFields;
      continue;
    }
    out.kinds[n] = Tokenize(in, line_start, end, interner, out.ids + n * in.slots);
    n++;
  }
  out.resume = pos;
  return n;
}

}  // namespace certcrunch
