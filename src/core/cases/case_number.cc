#include "core/cases/case_number.h"

namespace gosline {
namespace {

// Damm's weakly totally anti-symmetric quasigroup of order 10.
constexpr int kDamm[10][10] = {
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
    {4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
    {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
    {9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
};

bool IsDigit(char ch) { return ch >= '0' && ch <= '9'; }

}  // namespace

int CaseNumber::CheckDigit(std::string_view digits) {
  int interim = 0;
  for (char ch : digits) {
    if (!IsDigit(ch)) return -1;
    interim = kDamm[interim][ch - '0'];
  }
  return interim;
}

std::string CaseNumber::FromSequence(int64_t sequence) {
  if (sequence < 1 || sequence > kMaxSequence) return {};
  std::string body = std::to_string(sequence);
  body.insert(0, static_cast<size_t>(kBodyDigits) - body.size(), '0');
  body.push_back(static_cast<char>('0' + CheckDigit(body)));
  return body;
}

bool CaseNumber::IsValid(std::string_view text) {
  if (text.size() != static_cast<size_t>(kBodyDigits) + 1) return false;
  for (char ch : text) {
    if (!IsDigit(ch)) return false;
  }
  // A valid Damm code checks to zero when the check digit is included.
  return CheckDigit(text) == 0;
}

std::optional<std::string> CaseNumber::Normalize(std::string_view text) {
  std::string digits;
  for (char ch : text) {
    if (ch == ' ' || ch == '-' || ch == '.') continue;
    if (!IsDigit(ch)) return std::nullopt;
    digits.push_back(ch);
    if (digits.size() > static_cast<size_t>(kBodyDigits) + 1) return std::nullopt;
  }
  if (!IsValid(digits)) return std::nullopt;
  return digits;
}

}  // namespace gosline
