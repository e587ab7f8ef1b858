// Retention rules (R23): which stored records are due for deletion at a time.
// Call metadata and personal data not tied to an open case go after 30 days;
// recordings after 5 years (both configurable). A record tied to an open case
// is kept while the case is open; once it closes, the period counts from the
// later of the record's time and the case's closing, so closing an old case
// does not delete its data the same instant.
//
// Pure: the retention job lists records with their facts, asks for a plan,
// deletes what it names (auditing each deletion) and sleeps until next_due.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline::security {

enum class RetainedKind { kCallMetadata, kPersonalData, kRecording };

const char* RetainedKindName(RetainedKind kind);

struct RetainedRecord {
  std::string id;
  RetainedKind kind = RetainedKind::kPersonalData;
  Time recorded_at;                    // when the data was collected
  bool tied_to_open_case = false;
  std::optional<Time> case_closed_at;  // the case it belongs to, if closed
};

using Days = std::chrono::days;

struct RetentionPolicy {
  Duration call_metadata = Days(30);
  Duration personal_data = Days(30);
  // Five calendar years hold at most two leap days: 5*365+2 days is never
  // less than five years, whatever the start date.
  Duration recording = Days(5 * 365 + 2);
};

// Each period at least one day: a zero or negative period would delete data
// the moment it is written.
Status ValidateRetentionPolicy(const RetentionPolicy& policy);

Duration RetentionPeriod(RetainedKind kind, const RetentionPolicy& policy);

// When the record becomes due; nullopt while its case is open.
std::optional<Time> RetentionDueAt(const RetainedRecord& record, const RetentionPolicy& policy);

struct RetentionPlan {
  std::vector<std::string> delete_ids;  // due at or before `now`, in input order
  std::optional<Time> next_due;         // the earliest due time after `now`
};

RetentionPlan PlanRetention(const std::vector<RetainedRecord>& records,
                            const RetentionPolicy& policy, Time now);

}  // namespace gosline::security
