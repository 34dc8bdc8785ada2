// N-API glue for the hex decoder.
#include "bindings.h"
#include "glue.h"
#include "hex_decode.h"

#include <vector>

namespace certcrunch {

// decodeHexSpans(src, starts, ends, count, dst, results) → bytes used.
// results is an Int32Array of 4 * count: status, bad offset, output start, output length.
Napi::Value JsDecodeHexSpans(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6) {
    Napi::TypeError::New(env, "decodeHexSpans expects (src, starts, ends, count, dst, results)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  uint8_t* src;
  size_t src_len;
  uint32_t* starts;
  size_t starts_len;
  uint32_t* ends;
  size_t ends_len;
  int64_t count;
  uint8_t* dst;
  size_t dst_len;
  int32_t* results;
  size_t results_len;
  if (!TypedArg(info, 0, napi_uint8_array, &src, &src_len) || !TypedArg(info, 1, napi_uint32_array, &starts, &starts_len) ||
      !TypedArg(info, 2, napi_uint32_array, &ends, &ends_len) || !IntArg(info, 3, &count) ||
      !TypedArg(info, 4, napi_uint8_array, &dst, &dst_len) || !TypedArg(info, 5, napi_int32_array, &results, &results_len)) {
    return env.Undefined();
  }
  if (count < 0 || static_cast<uint64_t>(count) > starts_len || static_cast<uint64_t>(count) > ends_len ||
      static_cast<uint64_t>(count) * 4 > results_len || dst_len > 0xFFFFFFFFu) {
    Napi::RangeError::New(env, "Span count does not fit the arrays").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  // Copied before they are checked: the arrays may share memory with dst or results, which the
  // decoder writes, and a span checked here must be the span decoded.
  const std::vector<uint32_t> span_starts(starts, starts + count), span_ends(ends, ends + count);
  for (int64_t i = 0; i < count; i++) {
    if (span_starts[i] > span_ends[i] || span_ends[i] > src_len) {
      Napi::RangeError::New(env, "Span outside the source buffer").ThrowAsJavaScriptException();
      return env.Undefined();
    }
  }
  static_assert(sizeof(HexSpanResult) == 16, "four 32-bit fields");
  const size_t used = DecodeHexSpans(src, span_starts.data(), span_ends.data(), static_cast<size_t>(count), dst, dst_len,
                                     reinterpret_cast<HexSpanResult*>(results));
  return Napi::Number::New(env, static_cast<double>(used));
}

}  // namespace certcrunch
