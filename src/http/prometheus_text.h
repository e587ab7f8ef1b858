// The Prometheus text exposition format (version 0.0.4), written by hand
// because it is a few lines of text: "# HELP", "# TYPE", then one line per
// sample, `name{label="value",...} number`. The names are ours (constants);
// label values may come from configuration (queue ids) and are escaped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gosline::http {

inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class PrometheusText {
 public:
  enum class Type { kCounter, kGauge, kHistogram };

  // Starts a family: its HELP and TYPE lines. Each family once per page.
  void Family(std::string_view name, Type type, std::string_view help);
  // One sample of the current family (or of its _bucket/_sum/_count series).
  // Non-finite values are written as Prometheus spells them (+Inf, NaN).
  void Sample(std::string_view name, const MetricLabels& labels, double value);
  void Sample(std::string_view name, double value) { Sample(name, {}, value); }

  const std::string& text() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// A label value as the format needs it: backslash, double quote and newline escaped.
std::string EscapeLabelValue(std::string_view value);

}  // namespace gosline::http
