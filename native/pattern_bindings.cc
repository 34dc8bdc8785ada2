// N-API glue for the pattern scanner: a compiled Pattern object and scanPattern().
#include <memory>

#include "bindings.h"
#include "glue.h"
#include "pattern_scan.h"

namespace certcrunch {

namespace {

class PatternWrap : public Napi::ObjectWrap<PatternWrap> {
 public:
  static Napi::Function Define(Napi::Env env) { return DefineClass(env, "Pattern", {}); }

  explicit PatternWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PatternWrap>(info) {
    uint8_t* blob;
    size_t len;
    if (!TypedArg(info, 0, napi_uint8_array, &blob, &len)) return;  // throws when missing too
    auto program = std::make_unique<PatternProgram>();
    const std::string error = program->Parse(blob, len);
    if (!error.empty()) {
      Napi::RangeError::New(info.Env(), "Invalid pattern program: " + error).ThrowAsJavaScriptException();
      return;
    }
    program_ = std::move(program);
    napi_type_tag_object(info.Env(), info.This(), &kPatternTag);
  }

  const PatternProgram* Get() const { return program_.get(); }

 private:
  std::unique_ptr<PatternProgram> program_;
};

}  // namespace

Napi::Object InitPattern(Napi::Env env, Napi::Object exports) {
  exports.Set("Pattern", PatternWrap::Define(env));
  return exports;
}

// scanPattern(pattern, buf, from, to, limit, atEof, interner, offsets, kinds, ids, nums, state)
Napi::Value JsScanPattern(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 12) {
    Napi::TypeError::New(env, "scanPattern expects (pattern, buf, from, to, limit, atEof, interner, offsets, kinds, ids, nums, state)")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  PatternWrap* pattern = UnwrapTagged<PatternWrap>(env, info[0], kPatternTag, "a Pattern");
  if (pattern == nullptr || pattern->Get() == nullptr) return env.Undefined();
  InternerWrap* interner = InternerWrap::From(env, info[6]);
  if (interner == nullptr) return env.Undefined();
  const PatternProgram& program = *pattern->Get();
  uint8_t* buf;
  size_t buf_len;
  int64_t from, to, limit;
  uint32_t* offsets;
  size_t offsets_len;
  uint8_t* kinds;
  size_t kinds_len;
  uint32_t* ids;
  size_t ids_len;
  double* nums;
  size_t nums_len;
  uint32_t* state;
  size_t state_len;
  if (!TypedArg(info, 1, napi_uint8_array, &buf, &buf_len) || !IntArg(info, 2, &from) || !IntArg(info, 3, &to) ||
      !IntArg(info, 4, &limit) || !TypedArg(info, 7, napi_uint32_array, &offsets, &offsets_len) ||
      !TypedArg(info, 8, napi_uint8_array, &kinds, &kinds_len) || !TypedArg(info, 9, napi_uint32_array, &ids, &ids_len) ||
      !TypedArg(info, 10, napi_float64_array, &nums, &nums_len) ||
      !TypedArg(info, 11, napi_uint32_array, &state, &state_len)) {
    return env.Undefined();
  }
  if (from < 0 || to < from || static_cast<uint64_t>(to) > buf_len || buf_len > 0xFFFFFFFFu || state_len < 1) {
    Napi::RangeError::New(env, "Block bounds outside the buffer").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (program.slots > interner->Get()->Slots()) {
    Napi::RangeError::New(env, "The interner has fewer slots than the pattern uses").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  size_t capacity = offsets_len < kinds_len ? offsets_len : kinds_len;
  if (program.slots > 0 && ids_len / program.slots < capacity) capacity = ids_len / program.slots;
  if (program.nums > 0 && nums_len / program.nums < capacity) capacity = nums_len / program.nums;

  PatternScanInput in{buf, static_cast<size_t>(from), static_cast<size_t>(to), static_cast<size_t>(limit < 0 ? 0 : limit),
                      info[5].ToBoolean().Value()};
  PatternScanOutput out{offsets, kinds, ids, nums, capacity, 0};
  const size_t n = ScanPattern(program, in, *interner->Get(), out);
  state[0] = static_cast<uint32_t>(out.resume);
  return Napi::Number::New(env, static_cast<double>(n));
}

}  // namespace certcrunch
