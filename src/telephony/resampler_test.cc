#include "telephony/resampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace gosline::telephony {
namespace {

double Rms(const std::vector<int16_t>& x, size_t from, size_t to) {
  double s = 0;
  for (size_t i = from; i < to; ++i) s += double(x[i]) * x[i];
  return std::sqrt(s / double(to - from));
}

std::vector<int16_t> Tone(double hz, int rate, int n) {
  std::vector<int16_t> v(n);
  for (int i = 0; i < n; ++i) v[i] = int16_t(10000 * std::sin(2 * std::numbers::pi * hz * i / rate));
  return v;
}

TEST(Resampler, KeepsSpeechBandAndLength) {
  auto in = Tone(1000, 22050, 22050);
  auto out = Resample(in, 22050, 8000);
  EXPECT_NEAR(double(out.size()), 8000, 2);
  EXPECT_NEAR(Rms(out, 500, 7500), 10000 / std::sqrt(2.0), 300);
}

TEST(Resampler, RemovesWhatTheLineCannotCarry) {
  auto out = Resample(Tone(6000, 22050, 22050), 22050, 8000);  // would alias to 2 kHz
  EXPECT_LT(Rms(out, 500, 7500), 100);
}

}  // namespace
}  // namespace gosline::telephony
