// Module init only: registers the kernels. See bindings.cc for the glue.
#include <napi.h>

#include "bindings.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  certcrunch::InitInterner(env, exports);
  certcrunch::InitElffTally(env, exports);
  exports.Set("scanElff", Napi::Function::New(env, certcrunch::JsScanElff, "scanElff"));
  certcrunch::InitPattern(env, exports);
  exports.Set("scanPattern", Napi::Function::New(env, certcrunch::JsScanPattern, "scanPattern"));
  exports.Set("decodeHexSpans", Napi::Function::New(env, certcrunch::JsDecodeHexSpans, "decodeHexSpans"));
  exports.Set("abiVersion", Napi::Number::New(env, 8));
  return exports;
}
}  // namespace

NODE_API_MODULE(certcrunch, Init)
