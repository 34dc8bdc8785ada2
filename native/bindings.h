#pragma once
#include <napi.h>

namespace certcrunch {
Napi::Object InitInterner(Napi::Env env, Napi::Object exports);
Napi::Object InitElffTally(Napi::Env env, Napi::Object exports);
Napi::Value JsScanElff(const Napi::CallbackInfo& info);
Napi::Object InitPattern(Napi::Env env, Napi::Object exports);
Napi::Value JsScanPattern(const Napi::CallbackInfo& info);
Napi::Value JsDecodeHexSpans(const Napi::CallbackInfo& info);
}  // namespace certcrunch
