// Hex decoding of many spans of a block in one call (the audit log's OCSPREQUEST/OCSPRESPONSE
// blobs). Validates every byte; reports the first bad one per span. Plain C++, no N-API.
#pragma once
#include <cstddef>
#include <cstdint>

namespace certcrunch {

enum HexStatus : int32_t { kHexOk = 0, kHexOddLength = 1, kHexNonHex = 2, kHexNoRoom = 3 };

struct HexSpanResult {
  int32_t status;
  uint32_t bad_offset;  // offset of the first bad character within the span (kHexNonHex)
  uint32_t out_start;   // where its bytes start in the output
  uint32_t out_length;
};

// Decodes spans [starts[i], ends[i]) of src (already bounds-checked by the caller) into dst,
// one after another. Returns the number of output bytes used; bytes of dst past them are
// unspecified (a span found bad part-way may have written some).
size_t DecodeHexSpans(const uint8_t* src, const uint32_t* starts, const uint32_t* ends, size_t count, uint8_t* dst,
                      size_t dst_len, HexSpanResult* results);

}  // namespace certcrunch
