// Status and Result<T>: how every fallible operation in gosline reports failure.
// Modelled on LevelDB's Status: no exceptions cross module boundaries; a caller
// always sees a code, a human-readable message and, where it applies, the field
// of the input that was wrong (used by the HTTP layer for {"error":{"field"}}).
// Both types are [[nodiscard]] (as Abseil's): a dropped error is a compile
// error; dropping one on purpose is spelled IgnoreError() with a reason.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace gosline {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kInvalidArgument,     // the input is wrong; HTTP 400/422
    kNotFound,            // HTTP 404
    kAlreadyExists,       // HTTP 409
    kConflict,            // stale version / concurrent change; HTTP 409
    kFailedPrecondition,  // e.g. a transition not allowed from this status; HTTP 409
    kPermissionDenied,    // HTTP 403
    kUnauthenticated,     // HTTP 401
    kResourceExhausted,   // overload, too large; HTTP 413/429/503
    kUnavailable,         // not ready; HTTP 503
    kIoError,             // storage or file failure; HTTP 500
    kCorruption,          // data on disk is not what we wrote; HTTP 500
    kInternal,            // a bug; HTTP 500
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg, std::string field = {}) {
    return Status(Code::kInvalidArgument, std::move(msg), std::move(field));
  }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status AlreadyExists(std::string msg, std::string field = {}) {
    return Status(Code::kAlreadyExists, std::move(msg), std::move(field));
  }
  static Status Conflict(std::string msg) { return Status(Code::kConflict, std::move(msg)); }
  static Status FailedPrecondition(std::string msg, std::string field = {}) {
    return Status(Code::kFailedPrecondition, std::move(msg), std::move(field));
  }
  static Status PermissionDenied(std::string msg) {
    return Status(Code::kPermissionDenied, std::move(msg));
  }
  static Status Unauthenticated(std::string msg) {
    return Status(Code::kUnauthenticated, std::move(msg));
  }
  static Status ResourceExhausted(std::string msg) {
    return Status(Code::kResourceExhausted, std::move(msg));
  }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }

  // Stable snake_case name of the code, used in API error bodies and logs.
  const char* code_name() const;
  std::string ToString() const;

  // Drops this status on purpose; the call site says why in a comment.
  void IgnoreError() const {}

 private:
  Status(Code code, std::string msg, std::string field = {})
      : code_(code), message_(std::move(msg)), field_(std::move(field)) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::string field_;
};

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  // An OK status carries neither a value nor an error; a Result built from
  // one would read as failed with an OK status, which callers pass on as
  // success without a value. It becomes an Internal error instead.
  Result(Status status) : v_(std::move(status)) {      // NOLINT: implicit by design
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Drops this result on purpose; the call site says why in a comment.
  void IgnoreError() const {}

 private:
  std::variant<T, Status> v_;
};

}  // namespace gosline

// Return early from the enclosing function when a Status is not ok.
#define GOSLINE_RETURN_IF_ERROR(expr)        \
  do {                                       \
    ::gosline::Status _st = (expr);          \
    if (!_st.ok()) return _st;               \
  } while (0)

// GOSLINE_ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (a Result<T>); on
// error returns its Status from the enclosing function, otherwise moves the
// value into `lhs`, which may declare a variable (`Foo foo`, `auto foo`) or
// name an existing one. Expands to several statements: not the lone body of
// an unbraced if/for.
#define GOSLINE_ASSIGN_OR_RETURN(lhs, ...)                                                   \
  GOSLINE_ASSIGN_OR_RETURN_IMPL_(GOSLINE_STATUS_CONCAT_(gosline_result_, __COUNTER__), lhs, \
                                 __VA_ARGS__)
#define GOSLINE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, ...) \
  auto tmp = (__VA_ARGS__);                           \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
#define GOSLINE_STATUS_CONCAT_(a, b) GOSLINE_STATUS_CONCAT_INNER_(a, b)
#define GOSLINE_STATUS_CONCAT_INNER_(a, b) a##b
