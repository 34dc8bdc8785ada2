#include "hex_decode.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// Validates and decodes 2n hex characters into n bytes, 16 characters at a time where SSE2 is
// there. Returns the offset of the first non-hex character, or 2n when all are hex (the output
// is then complete; else it is partial and unused).
uint32_t DecodeEven(const uint8_t* s, uint32_t len, uint8_t* d) {
  uint32_t j = 0;
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  for (; j + 16 <= len; j += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + j));
    // Digits: v - '0' in 0..9. Letters: (v | 0x20) - 'a' in 0..5. Saturating subtraction makes
    // "at most k" a test for zero.
    const __m128i digit = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    const __m128i letter = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    const __m128i is_digit = _mm_cmpeq_epi8(_mm_subs_epu8(digit, _mm_set1_epi8(9)), zero);
    const __m128i is_letter = _mm_cmpeq_epi8(_mm_subs_epu8(letter, _mm_set1_epi8(5)), zero);
    const unsigned valid = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(is_digit, is_letter)));
    if (valid != 0xFFFF) return j + static_cast<uint32_t>(__builtin_ctz(~valid));
    const __m128i nibble = _mm_or_si128(_mm_and_si128(is_digit, digit),
                                        _mm_and_si128(is_letter, _mm_add_epi8(letter, _mm_set1_epi8(10))));
    // Each 16-bit lane holds a pair: the high nibble in its low byte, the low nibble above.
    const __m128i high = _mm_slli_epi16(_mm_and_si128(nibble, _mm_set1_epi16(0x00FF)), 4);
    const __m128i low = _mm_srli_epi16(nibble, 8);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(d + j / 2), _mm_packus_epi16(_mm_or_si128(high, low), zero));
  }
#endif
  for (; j < len; j += 2) {
    const uint8_t hi = kHex.value[s[j]];
    const uint8_t lo = kHex.value[s[j + 1]];
    if (hi == 0xFF) return j;
    if (lo == 0xFF) return j + 1;
    d[j / 2] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return len;
}
}  // namespace

size_t DecodeHexSpans(const uint8_t* src, const uint32_t* starts, const uint32_t* ends, size_t count, uint8_t* dst,
                      size_t dst_len, HexSpanResult* results) {
  size_t used = 0;
  for (size_t i = 0; i < count; i++) {
    HexSpanResult& r = results[i];
    const uint32_t start = starts[i];
    const uint32_t len = ends[i] - start;
    r = {kHexOk, 0, static_cast<uint32_t>(used), 0};
    if (len % 2 == 0 && dst_len - used >= len / 2) {
      // The usual span: one pass that checks and decodes.
      const uint32_t bad = DecodeEven(src + start, len, dst + used);
      if (bad < len) {
        r.status = kHexNonHex;
        r.bad_offset = bad;
        continue;
      }
      r.out_length = len / 2;
      used += len / 2;
      continue;
    }
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
