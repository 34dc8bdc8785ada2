// Shared N-API glue: argument checks with uniform TypeErrors, and the Interner wrapper.
#pragma once
#include <napi.h>

#include <cmath>
#include <memory>
#include <string>

#include "interner.h"

namespace certcrunch {

// Tags that tell the addon's object kinds apart, so one can never be unwrapped as another.
constexpr napi_type_tag kInternerTag = {0x6365727463727563ULL, 0x68496e7465726e31ULL};
constexpr napi_type_tag kElffTallyTag = {0x6365727463727563ULL, 0x68456c6666546131ULL};
constexpr napi_type_tag kPatternTag = {0x6365727463727563ULL, 0x6850617474657231ULL};

// The object's native instance when it carries `tag`, else nullptr (with a TypeError pending).
template <typename Wrap>
Wrap* UnwrapTagged(Napi::Env env, Napi::Value value, const napi_type_tag& tag, const char* what) {
  bool tagged = false;
  if (value.IsObject()) napi_check_object_type_tag(env, value, &tag, &tagged);
  if (!tagged) {
    Napi::TypeError::New(env, std::string("Expected ") + what).ThrowAsJavaScriptException();
    return nullptr;
  }
  return Wrap::Unwrap(value.As<Napi::Object>());
}

// The slot argument of a per-slot method, checked against the slot count.
inline bool SlotArg(const Napi::CallbackInfo& info, size_t slots, size_t* slot) {
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(info.Env(), "Expected a slot number").ThrowAsJavaScriptException();
    return false;
  }
  const int64_t s = info[0].As<Napi::Number>().Int64Value();
  if (s < 0 || static_cast<uint64_t>(s) >= slots) {
    Napi::RangeError::New(info.Env(), "Slot out of range").ThrowAsJavaScriptException();
    return false;
  }
  *slot = static_cast<size_t>(s);
  return true;
}

// The slot count argument of a constructor: 0 to 1024.
inline bool SlotCountArg(const Napi::CallbackInfo& info, size_t* slots) {
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(info.Env(), "Expected the slot count as a number").ThrowAsJavaScriptException();
    return false;
  }
  const int64_t n = info[0].As<Napi::Number>().Int64Value();
  if (n < 0 || n > 1024) {
    Napi::RangeError::New(info.Env(), "Expected a slot count from 0 to 1024").ThrowAsJavaScriptException();
    return false;
  }
  *slots = static_cast<size_t>(n);
  return true;
}

// size(slot): how many values a slot of `interner` holds. Shared by every wrapper holding one.
inline Napi::Value InternerSize(const Napi::CallbackInfo& info, Interner* interner) {
  size_t slot;
  if (interner == nullptr || !SlotArg(info, interner->Slots(), &slot)) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), interner->Table(slot).Size());
}

// values(slot, from, to?): the interned values of a slot from id `from` up to `to` (default: all),
// as latin1 strings.
inline Napi::Value InternerValues(const Napi::CallbackInfo& info, Interner* interner) {
  Napi::Env env = info.Env();
  size_t slot;
  if (interner == nullptr || !SlotArg(info, interner->Slots(), &slot)) return env.Undefined();
  const InternTable& table = interner->Table(slot);
  int64_t from = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Int64Value() : 0;
  if (from < 0) from = 0;
  const uint32_t size = table.Size();
  const uint32_t start = from > size ? size : static_cast<uint32_t>(from);
  int64_t to = info.Length() > 2 && info[2].IsNumber() ? info[2].As<Napi::Number>().Int64Value() : size;
  const uint32_t end = to < start ? start : to > size ? size : static_cast<uint32_t>(to);
  Napi::Array result = Napi::Array::New(env, end - start);
  for (uint32_t id = start; id < end; id++) {
    napi_value str;
    if (napi_create_string_latin1(env, reinterpret_cast<const char*>(table.Data(id)), table.Length(id), &str) != napi_ok) {
      return env.Undefined();
    }
    result.Set(id - start, Napi::Value(env, str));
  }
  return result;
}

class InternerWrap : public Napi::ObjectWrap<InternerWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Interner",
                       {InstanceMethod("size", &InternerWrap::JsSize), InstanceMethod("values", &InternerWrap::JsValues)});
  }

  explicit InternerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<InternerWrap>(info) {
    size_t slots;
    if (!SlotCountArg(info, &slots)) return;
    interner_ = std::make_unique<Interner>(slots);
    napi_type_tag_object(info.Env(), info.This(), &kInternerTag);
  }

  static InternerWrap* From(Napi::Env env, Napi::Value value) {
    InternerWrap* wrap = UnwrapTagged<InternerWrap>(env, value, kInternerTag, "an Interner");
    return wrap != nullptr && wrap->interner_ ? wrap : nullptr;
  }

  Interner* Get() { return interner_.get(); }

 private:
  Napi::Value JsSize(const Napi::CallbackInfo& info) { return InternerSize(info, interner_.get()); }
  Napi::Value JsValues(const Napi::CallbackInfo& info) { return InternerValues(info, interner_.get()); }

  std::unique_ptr<Interner> interner_;
};

template <typename T>
inline bool TypedArg(const Napi::CallbackInfo& info, size_t i, napi_typedarray_type type, T** data, size_t* length) {
  Napi::Value v = info[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) {
    Napi::TypeError::New(info.Env(), "Expected argument " + std::to_string(i + 1) + " to be a typed array of the documented type")
        .ThrowAsJavaScriptException();
    return false;
  }
  Napi::TypedArray ta = v.As<Napi::TypedArray>();
  *data = reinterpret_cast<T*>(static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset());
  *length = ta.ElementLength();
  return true;
}

inline bool IntArg(const Napi::CallbackInfo& info, size_t i, int64_t* value) {
  if (!info[i].IsNumber()) {
    Napi::TypeError::New(info.Env(), "Expected argument " + std::to_string(i + 1) + " to be a number").ThrowAsJavaScriptException();
    return false;
  }
  // Int64Value() would turn NaN and infinities into 0 and drop fractions: refuse them instead.
  const double d = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::trunc(d) || std::fabs(d) > 9007199254740992.0) {
    Napi::RangeError::New(info.Env(), "Expected argument " + std::to_string(i + 1) + " to be a whole number").ThrowAsJavaScriptException();
    return false;
  }
  *value = static_cast<int64_t>(d);
  return true;
}


}  // namespace certcrunch
