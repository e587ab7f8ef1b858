#include "telephony/resampler.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gosline::telephony {

std::vector<int16_t> Resample(std::span<const int16_t> in, int in_rate, int out_rate) {
  if (in_rate == out_rate || in.empty() || in_rate <= 0 || out_rate <= 0) {
    return std::vector<int16_t>(in.begin(), in.end());
  }
  // Cut-off a little below the lower Nyquist frequency, in cycles per input sample.
  const double cutoff = 0.45 * std::min(in_rate, out_rate) / in_rate;
  // Kernel half-width in input samples: 16 zero crossings of the sinc.
  const int half = static_cast<int>(std::ceil(16.0 / (2.0 * cutoff)));
  const double step = static_cast<double>(in_rate) / out_rate;
  const size_t out_len = static_cast<size_t>(static_cast<double>(in.size()) / step);
  const long n_in = static_cast<long>(in.size());

  std::vector<int16_t> out(out_len);
  for (size_t n = 0; n < out_len; ++n) {
    const double t = static_cast<double>(n) * step;
    const long centre = static_cast<long>(std::floor(t));
    double acc = 0.0;
    for (long k = centre - half + 1; k <= centre + half; ++k) {
      if (k < 0 || k >= n_in) continue;
      const double x = t - static_cast<double>(k);
      const double arg = 2.0 * cutoff * x;
      const double sinc = std::abs(arg) < 1e-9 ? 1.0 : std::sin(std::numbers::pi * arg) /
                                                           (std::numbers::pi * arg);
      const double w_pos = (x + half) / (2.0 * half);  // 0..1 across the window
      const double window = 0.42 - 0.5 * std::cos(2 * std::numbers::pi * w_pos) +
                            0.08 * std::cos(4 * std::numbers::pi * w_pos);
      acc += in[static_cast<size_t>(k)] * 2.0 * cutoff * sinc * window;
    }
    out[n] = static_cast<int16_t>(std::clamp(std::lround(acc), -32768L, 32767L));
  }
  return out;
}

}  // namespace gosline::telephony
