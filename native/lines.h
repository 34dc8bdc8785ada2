// Line splitting shared by the block scanners: whole lines of a block, one trailing CR dropped,
// blank lines (spaces and tabs only) skipped. Mirrors src/native/fallback/lines.ts.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace certcrunch {

struct Line {
  size_t start;  // first byte
  size_t end;    // one past the last byte, without LF and one trailing CR
};

// Reads the next non-blank line starting at *pos in [*pos, to), advancing *pos past it. Returns
// false at `to`, at `limit` (lines starting there belong to the next range), or when the rest
// is an incomplete line and the input goes on (at_eof false).
inline bool NextLine(const uint8_t* p, size_t* pos, size_t to, size_t limit, bool at_eof, Line* line) {
  while (*pos < limit && *pos < to) {
    const void* hit = std::memchr(p + *pos, 0x0A, to - *pos);
    size_t nl;
    if (hit == nullptr) {
      if (!at_eof) return false;
      nl = to;
    } else {
      nl = static_cast<size_t>(static_cast<const uint8_t*>(hit) - p);
    }
    const size_t start = *pos;
    size_t end = nl;
    if (end > start && p[end - 1] == 0x0D) end--;
    *pos = nl < to ? nl + 1 : to;
    bool blank = true;
    for (size_t i = start; i < end && blank; i++) blank = p[i] == 0x20 || p[i] == 0x09;
    if (blank) continue;
    *line = {start, end};
    return true;
  }
  return false;
}

}  // namespace certcrunch
