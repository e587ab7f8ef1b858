#include "http/line_metrics.h"

namespace gosline::http {
namespace {

using Type = PrometheusText::Type;

template <typename T>
void One(PrometheusText& out, const std::optional<T>& value, std::string_view name, Type type,
         std::string_view help) {
  if (!value) return;
  out.Family(name, type, help);
  out.Sample(name, static_cast<double>(*value));
}

}  // namespace

void WriteLineMetrics(const LineFigures& f, PrometheusText& out) {
  One(out, f.calls_in_media, "gosline_calls_in_media", Type::kGauge,
      "Calls whose media this node carries now (IVR, queue or bridged).");
  One(out, f.media_busy_share, "gosline_media_loop_busy_ratio", Type::kGauge,
      "Smoothed share of each 20 ms media tick spent working; near 1 the loop is late.");
  One(out, f.call_records_written, "gosline_call_records_written_total", Type::kCounter,
      "Call records committed to the registry.");
  One(out, f.call_records_failed, "gosline_call_records_failed_total", Type::kCounter,
      "Call records lost to a storage write error (alert on any increase).");
  One(out, f.call_record_batches, "gosline_call_record_batches_total", Type::kCounter,
      "Transactions the call records were committed in (records / batches = group size).");
  One(out, f.audit_appends, "gosline_audit_appends_total", Type::kCounter,
      "Audit records appended to the hash chain.");
  One(out, f.audit_groups, "gosline_audit_groups_total", Type::kCounter,
      "Transactions the audit appends were grouped into (appends / groups = group size).");
}

}  // namespace gosline::http
