// N-API glue: checks arguments, takes pointers into the caller's typed arrays for the
// duration of one call, runs a kernel, returns counts. Data errors are returned as record
// kinds, never thrown; only misuse of the API throws a TypeError.
#include "bindings.h"

#include "elff_scan.h"
#include "glue.h"

namespace certcrunch {


Napi::Object InitInterner(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = InternerWrap::Define(env);
  auto* ref = new Napi::FunctionReference(Napi::Persistent(ctor));
  env.SetInstanceData<Napi::FunctionReference>(ref);
  exports.Set("Interner", ctor);
  return exports;
}

// scanElff(buf, from, to, limit, atEof, fieldCount, colSlot, slots, interner, offsets, kinds, ids, state,
//          dateSlot, timeSlot)
Napi::Value JsScanElff(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 15) {
    Napi::TypeError::New(env, "scanElff expects 15 arguments").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  uint8_t* buf;
  size_t buf_len;
  int64_t from, to, limit, field_count, slots, date_slot, time_slot;
  int32_t* col_slot;
  size_t col_len;
  uint32_t* offsets;
  size_t offsets_len;
  uint8_t* kinds;
  size_t kinds_len;
  uint32_t* ids;
  size_t ids_len;
  uint32_t* state;
  size_t state_len;
  if (!TypedArg(info, 0, napi_uint8_array, &buf, &buf_len) || !IntArg(info, 1, &from) || !IntArg(info, 2, &to) ||
      !IntArg(info, 3, &limit) || !IntArg(info, 5, &field_count) ||
      !TypedArg(info, 6, napi_int32_array, &col_slot, &col_len) || !IntArg(info, 7, &slots) ||
      !TypedArg(info, 9, napi_uint32_array, &offsets, &offsets_len) ||
      !TypedArg(info, 10, napi_uint8_array, &kinds, &kinds_len) ||
      !TypedArg(info, 11, napi_uint32_array, &ids, &ids_len) ||
      !TypedArg(info, 12, napi_uint32_array, &state, &state_len) || !IntArg(info, 13, &date_slot) ||
      !IntArg(info, 14, &time_slot)) {
    return env.Undefined();
  }
  if (!info[8].IsObject()) {
    Napi::TypeError::New(env, "Expected argument 9 to be an Interner").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  InternerWrap* wrap = InternerWrap::Unwrap(info[8].As<Napi::Object>());
  if (wrap == nullptr || wrap->Get() == nullptr) return env.Undefined();
  Interner& interner = *wrap->Get();
  // Every index the kernel uses is checked here once, so the kernel can trust its input.
  if (from < 0 || to < from || static_cast<uint64_t>(to) > buf_len || buf_len > 0xFFFFFFFFu) {
    Napi::RangeError::New(env, "Block bounds outside the buffer").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (field_count < -1 || (field_count >= 0 && static_cast<uint64_t>(field_count) > col_len) || slots < 0 ||
      static_cast<uint64_t>(slots) > interner.Slots() || state_len < 1) {
    Napi::RangeError::New(env, "Field count, slots or state do not fit their arrays").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  size_t capacity = offsets_len < kinds_len ? offsets_len : kinds_len;
  if (slots > 0 && ids_len / static_cast<size_t>(slots) < capacity) capacity = ids_len / static_cast<size_t>(slots);

  ElffScanInput in{buf, static_cast<size_t>(from), static_cast<size_t>(to),
                   static_cast<size_t>(limit < 0 ? 0 : limit), info[4].ToBoolean().Value(),
                   static_cast<int32_t>(field_count), col_slot, static_cast<uint32_t>(slots),
                   static_cast<int32_t>(date_slot < -1 || date_slot > 1024 ? -1 : date_slot),
                   static_cast<int32_t>(time_slot < -1 || time_slot > 1024 ? -1 : time_slot)};
  ElffScanOutput out{offsets, kinds, ids, capacity, 0};
  const size_t n = ScanElff(in, interner, out);
  state[0] = static_cast<uint32_t>(out.resume);
  return Napi::Number::New(env, static_cast<double>(n));
}

}  // namespace certcrunch
