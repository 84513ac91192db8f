// Early-return helpers for absl::Status and absl::StatusOr.
//
//   RETURN_IF_ERROR(database->Write(batch, WriteOptions{}));
//   ASSIGN_OR_RETURN(v1::Ticket ticket, tickets->Get(id));
//
// Debian's Abseil (20220623) does not ship these, so they live here.
#ifndef DUBAN_BASE_STATUS_MACROS_H_
#define DUBAN_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define DUBAN_STATUS_CONCAT_INNER_(a, b) a##b
#define DUBAN_STATUS_CONCAT_(a, b) DUBAN_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status) and returns it from the enclosing
// function if it is not OK.
#define RETURN_IF_ERROR(expr)                                       \
  do {                                                              \
    if (absl::Status duban_status_ = (expr); !duban_status_.ok()) { \
      return duban_status_;                                         \
    }                                                               \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status from
// the enclosing function, otherwise moves the value into `lhs`, which may be
// a declaration (`Ticket t`) or an existing variable.
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  DUBAN_ASSIGN_OR_RETURN_IMPL_(DUBAN_STATUS_CONCAT_(duban_statusor_, __LINE__), lhs, rexpr)

#define DUBAN_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                 \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = *std::move(statusor)

#endif  // DUBAN_BASE_STATUS_MACROS_H_
