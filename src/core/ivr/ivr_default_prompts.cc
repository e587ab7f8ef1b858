// Words the engine assembles into dynamic prompts (the digits of a case
// number, status words) in the two demo languages. A configuration may give
// its own text (or a WAV) for any of them.
#include <array>
#include <string>

#include "core/ivr/ivr_prompts.h"

namespace gosline {
namespace {

struct DefaultPrompt {
  const char* id;
  const char* ru;
  const char* en;
};

constexpr std::array kDefaults = {
    DefaultPrompt{"digit/0", "ноль", "zero"},
    DefaultPrompt{"digit/1", "один", "one"},
    DefaultPrompt{"digit/2", "два", "two"},
    DefaultPrompt{"digit/3", "три", "three"},
    DefaultPrompt{"digit/4", "четыре", "four"},
    DefaultPrompt{"digit/5", "пять", "five"},
    DefaultPrompt{"digit/6", "шесть", "six"},
    DefaultPrompt{"digit/7", "семь", "seven"},
    DefaultPrompt{"digit/8", "восемь", "eight"},
    DefaultPrompt{"digit/9", "девять", "nine"},
    DefaultPrompt{"digit/star", "звёздочка", "star"},
    DefaultPrompt{"digit/hash", "решётка", "hash"},
    DefaultPrompt{"case_status/phone_last4",
                  "Введите последние четыре цифры номера телефона, с которого было подано обращение",
                  "Enter the last four digits of the phone number the application was made from"},
    DefaultPrompt{"case_status/new", "зарегистрировано и ожидает рассмотрения",
                  "registered and waiting to be handled"},
    DefaultPrompt{"case_status/in_progress", "в работе", "in progress"},
    DefaultPrompt{"case_status/escalated", "передано в ответственное ведомство",
                  "passed to the responsible agency"},
    DefaultPrompt{"case_status/waiting_citizen", "ожидает сведений от вас",
                  "waiting for information from you"},
    DefaultPrompt{"case_status/resolved", "решено", "resolved"},
    DefaultPrompt{"case_status/closed", "закрыто", "closed"},
};

}  // namespace

void AddDefaultIvrPrompts(IvrModel& model) {
  for (const DefaultPrompt& d : kDefaults) {
    IvrPromptTexts& texts = model.prompts[d.id];
    // emplace keeps a text the configuration already gave.
    texts.emplace("ru", IvrPromptText{d.ru, {}, {}});
    texts.emplace("en", IvrPromptText{d.en, {}, {}});
  }
}

}  // namespace gosline
