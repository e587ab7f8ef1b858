#include "http/prometheus_text.h"

#include <cmath>

#include <fmt/format.h>

namespace gosline::http {

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

void PrometheusText::Family(std::string_view name, Type type, std::string_view help) {
  // HELP text escapes only backslash and newline.
  std::string escaped_help;
  for (char c : help) {
    if (c == '\\') {
      escaped_help += "\\\\";
    } else if (c == '\n') {
      escaped_help += "\\n";
    } else {
      escaped_help += c;
    }
  }
  static constexpr std::string_view kTypes[] = {"counter", "gauge", "histogram"};
  out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escaped_help, name,
                      kTypes[static_cast<int>(type)]);
}

void PrometheusText::Sample(std::string_view name, const MetricLabels& labels, double value) {
  out_ += name;
  if (!labels.empty()) {
    out_ += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) out_ += ',';
      out_ += fmt::format("{}=\"{}\"", labels[i].first, EscapeLabelValue(labels[i].second));
    }
    out_ += '}';
  }
  out_ += ' ';
  if (std::isnan(value)) {
    out_ += "NaN";
  } else if (std::isinf(value)) {
    out_ += value > 0 ? "+Inf" : "-Inf";
  } else if (value == std::floor(value) && std::fabs(value) < 1e15) {
    out_ += fmt::format("{}", static_cast<int64_t>(value));  // counts read as integers
  } else {
    out_ += fmt::format("{}", value);
  }
  out_ += '\n';
}

}  // namespace gosline::http
