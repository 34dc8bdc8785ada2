#include "elff_scan.h"

#include <cstring>

#include "lines.h"

namespace certcrunch {

namespace {
constexpr uint8_t kSpace = 0x20, kQuote = 0x22, kHash = 0x23;

inline bool Digits(const uint8_t* p, size_t n, unsigned* value) {
  unsigned v = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] < '0' || p[i] > '9') return false;
    v = v * 10 + (p[i] - '0');
  }
  *value = v;
  return true;
}

// Days from 1970-01-01 to a proleptic Gregorian date (the days_from_civil algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
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
      const void* space = std::memchr(p + i, kSpace, end - i);
      i = space == nullptr ? end : static_cast<size_t>(static_cast<const uint8_t*>(space) - p);
      value_end = i;
    }
    if (field < in.field_count) {
      const int32_t slot = in.col_slot[field];
      if (slot >= 0 && static_cast<uint32_t>(slot) < in.slots) {
        const uint8_t* value = p + value_start;
        const size_t len = value_end - value_start;
        if (slot == in.date_slot) {
          ids[slot] = ParseElffDate(value, len);
        } else if (slot == in.time_slot) {
          ids[slot] = ParseElffTime(value, len);
        } else {
          ids[slot] = interner.Table(static_cast<size_t>(slot)).Intern(value, len);
        }
      }
    }
    field++;
  }
  return field == in.field_count ? kData : kFieldCount;
}
}  // namespace

uint32_t ParseElffDate(const uint8_t* p, size_t len) {
  unsigned y, m, d;
  if (len != 10 || p[4] != '-' || p[7] != '-' || !Digits(p, 4, &y) || !Digits(p + 5, 2, &m) || !Digits(p + 8, 2, &d)) {
    return kNoId;
  }
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return kNoId;
  return static_cast<uint32_t>(DaysFromCivil(y, m, d) + kDayBias);
}

uint32_t ParseElffTime(const uint8_t* p, size_t len) {
  unsigned h, m, s;
  if (len != 8 || p[2] != ':' || p[5] != ':' || !Digits(p, 2, &h) || !Digits(p + 3, 2, &m) || !Digits(p + 6, 2, &s)) {
    return kNoId;
  }
  if (h > 23 || m > 59 || s > 60) return kNoId;
  return h * 3600 + m * 60 + s;
}

size_t ScanElff(const ElffScanInput& in, Interner& interner, ElffScanOutput& out) {
  const uint8_t* p = in.buf;
  size_t pos = in.from;
  size_t n = 0;
  Line line;
  while (n < out.capacity && NextLine(p, &pos, in.to, in.limit, in.at_eof, &line)) {
    out.offsets[n] = static_cast<uint32_t>(line.start);
    if (p[line.start] == kHash) {
      out.kinds[n++] = kDirective;
      break;
    }
    if (in.field_count < 0) {
      out.kinds[n++] = kNoFields;
      continue;
    }
    out.kinds[n] = Tokenize(in, line.start, line.end, interner, out.ids + n * in.slots);
    n++;
  }
  out.resume = pos;
  return n;
}

}  // namespace certcrunch
