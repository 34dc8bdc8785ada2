#include "hex_decode.h"

namespace certcrunch {

namespace {
// 0..15 for a hex digit, 0xFF otherwise.
struct HexTable {
  uint8_t value[256];
  constexpr HexTable() : value() {
    for (int i = 0; i < 256; i++) value[i] = 0xFF;
    for (int i = 0; i < 10; i++) value['0' + i] = static_cast<uint8_t>(i);
    for (int i = 0; i < 6; i++) {
      value['a' + i] = static_cast<uint8_t>(10 + i);
      value['A' + i] = static_cast<uint8_t>(10 + i);
    }
  }
};
constexpr HexTable kHex;
}  // namespace

size_t DecodeHexSpans(const uint8_t* src, const uint32_t* starts, const uint32_t* ends, size_t count, uint8_t* dst,
                      size_t dst_len, HexSpanResult* results) {
  size_t used = 0;
  for (size_t i = 0; i < count; i++) {
    HexSpanResult& r = results[i];
    const uint32_t start = starts[i];
    const uint32_t len = ends[i] - start;
    r = {kHexOk, 0, static_cast<uint32_t>(used), 0};
    // The first non-hex character wins over odd length, so the offset is always reported.
    uint32_t bad = len;
    for (uint32_t j = 0; j < len; j++) {
      if (kHex.value[src[start + j]] == 0xFF) {
        bad = j;
        break;
      }
    }
    if (bad < len) {
      r.status = kHexNonHex;
      r.bad_offset = bad;
      continue;
    }
    if (len % 2 != 0) {
      r.status = kHexOddLength;
      r.bad_offset = len;
      continue;
    }
    if (dst_len - used < len / 2) {
      r.status = kHexNoRoom;
      continue;
    }
    const uint8_t* s = src + start;
    uint8_t* d = dst + used;
    for (uint32_t j = 0; j < len; j += 2) *d++ = static_cast<uint8_t>(kHex.value[s[j]] << 4 | kHex.value[s[j + 1]]);
    r.out_length = len / 2;
    used += len / 2;
  }
  return used;
}

}  // namespace certcrunch
