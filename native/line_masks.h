// Bitmaps of a line's spaces and double quotes, built 16 bytes at a time: tokenizing then finds
// the next space or quote with a word scan instead of testing (and mispredicting) byte after byte.
// Plain C++; SSE2 where the compiler targets it, a byte loop elsewhere.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace certcrunch {

class LineMasks {
 public:
  // Marks the spaces and quotes of [line, line + len), plus one of each at `len` as a
  // sentinel. Bytes are read in 64-byte chunks, never at or past `readable_end`.
  void Build(const uint8_t* line, size_t len, const uint8_t* readable_end) {
    const size_t words = len / 64 + 1;
    if (space_.size() < words) space_.resize(words), quote_.resize(words);
    for (size_t w = 0; w < words; w++) {
      const uint8_t* chunk = line + 64 * w;
      const size_t room = readable_end > chunk ? static_cast<size_t>(readable_end - chunk) : 0;
      if (room >= 64) {
        Classify(chunk, &space_[w], &quote_[w]);
      } else {
        uint8_t tail[64] = {0};
        std::memcpy(tail, chunk, room);
        Classify(tail, &space_[w], &quote_[w]);
      }
    }
    // Only bits below len are the line's; the bit at len is the sentinel.
    const size_t last = words - 1;
    const unsigned at = static_cast<unsigned>(len % 64);
    const uint64_t below = at == 0 ? 0 : ~0ULL >> (64 - at);
    space_[last] = (space_[last] & below) | (1ULL << at);
    quote_[last] = (quote_[last] & below) | (1ULL << at);
  }

  // The first quote at or after pos (pos <= len), or len.
  size_t NextQuote(size_t pos) const { return Next(quote_.data(), pos); }
  // The first space at or after pos (pos <= len), or len.
  size_t NextSpace(size_t pos) const { return Next(space_.data(), pos); }

 private:
  static size_t Next(const uint64_t* bits, size_t pos) {
    size_t w = pos >> 6;
    uint64_t word = bits[w] & (~0ULL << (pos & 63));
    while (word == 0) word = bits[++w];  // ends at the sentinel
    return (w << 6) + static_cast<size_t>(__builtin_ctzll(word));
  }

  static void Classify(const uint8_t* chunk, uint64_t* spaces, uint64_t* quotes) {
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(' ');
    const __m128i quote = _mm_set1_epi8('"');
    uint64_t s = 0, q = 0;
    for (int k = 0; k < 4; k++) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(chunk + 16 * k));
      s |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)))) << (16 * k);
      q |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)))) << (16 * k);
    }
    *spaces = s;
    *quotes = q;
#else
    uint64_t s = 0, q = 0;
    for (int i = 0; i < 64; i++) {
      s |= static_cast<uint64_t>(chunk[i] == ' ') << i;
      q |= static_cast<uint64_t>(chunk[i] == '"') << i;
    }
    *spaces = s;
    *quotes = q;
#endif
  }

  std::vector<uint64_t> space_, quote_;
};

}  // namespace certcrunch
