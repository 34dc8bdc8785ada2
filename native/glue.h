// Shared N-API glue: argument checks with uniform TypeErrors, and the Interner wrapper.
#pragma once
#include <napi.h>

#include <memory>
#include <string>

#include "interner.h"

namespace certcrunch {

class InternerWrap : public Napi::ObjectWrap<InternerWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Interner",
                       {InstanceMethod("size", &InternerWrap::JsSize), InstanceMethod("values", &InternerWrap::JsValues)});
  }

  explicit InternerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<InternerWrap>(info) {
    if (info.Length() < 1 || !info[0].IsNumber()) {
      Napi::TypeError::New(info.Env(), "Expected the slot count as a number").ThrowAsJavaScriptException();
      return;
    }
    const int64_t slots = info[0].As<Napi::Number>().Int64Value();
    if (slots < 0 || slots > 1024) {
      Napi::RangeError::New(info.Env(), "Expected a slot count from 0 to 1024").ThrowAsJavaScriptException();
      return;
    }
    interner_ = std::make_unique<Interner>(static_cast<size_t>(slots));
  }

  Interner* Get() { return interner_.get(); }

 private:
  bool SlotArg(const Napi::CallbackInfo& info, size_t* slot) {
    if (!interner_ || info.Length() < 1 || !info[0].IsNumber()) {
      Napi::TypeError::New(info.Env(), "Expected a slot number").ThrowAsJavaScriptException();
      return false;
    }
    const int64_t s = info[0].As<Napi::Number>().Int64Value();
    if (s < 0 || static_cast<uint64_t>(s) >= interner_->Slots()) {
      Napi::RangeError::New(info.Env(), "Slot out of range").ThrowAsJavaScriptException();
      return false;
    }
    *slot = static_cast<size_t>(s);
    return true;
  }

  Napi::Value JsSize(const Napi::CallbackInfo& info) {
    size_t slot;
    if (!SlotArg(info, &slot)) return info.Env().Undefined();
    return Napi::Number::New(info.Env(), interner_->Table(slot).Size());
  }

  // values(slot, from): the interned values from id `from` on, as latin1 strings.
  Napi::Value JsValues(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    size_t slot;
    if (!SlotArg(info, &slot)) return env.Undefined();
    InternTable& table = interner_->Table(slot);
    int64_t from = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Int64Value() : 0;
    if (from < 0) from = 0;
    const uint32_t size = table.Size();
    const uint32_t start = from > size ? size : static_cast<uint32_t>(from);
    Napi::Array result = Napi::Array::New(env, size - start);
    for (uint32_t id = start; id < size; id++) {
      napi_value str;
      if (napi_create_string_latin1(env, reinterpret_cast<const char*>(table.Data(id)), table.Length(id), &str) != napi_ok) {
        return env.Undefined();
      }
      result.Set(id - start, Napi::Value(env, str));
    }
    return result;
  }

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
  *value = info[i].As<Napi::Number>().Int64Value();
  return true;
}


}  // namespace certcrunch
