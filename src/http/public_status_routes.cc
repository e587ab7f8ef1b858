#include "http/public_status_routes.h"

#include <cstdio>
#include <variant>

#include <nlohmann/json.hpp>

namespace gosline::http {
namespace {

using nlohmann::json;

constexpr const char* kDayNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string HhMm(int minute) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (minute / 60) % 100, minute % 60);
  return buf;
}

json HoursJson(const Config& config, const std::string& hours_id, std::chrono::minutes offset) {
  const HoursSpec* spec = config.FindHours(hours_id);
  json weekly = json::array();
  if (spec == nullptr) {  // unknown ids are 24/7 (Config::CalendarFor)
    for (const char* d : kDayNames) weekly.push_back({{"day", d}, {"open", "00:00"}, {"close", "24:00"}});
  } else {
    for (size_t i = 0; i < 7; ++i) {
      const DailyHours& h = spec->weekly.days[i];
      if (h.closed()) {
        weekly.push_back({{"day", kDayNames[i]}, {"open", nullptr}, {"close", nullptr}});
      } else {
        weekly.push_back({{"day", kDayNames[i]}, {"open", HhMm(h.open_minute)},
                          {"close", HhMm(h.close_minute)}});
      }
    }
  }
  return {{"id", hours_id},
          {"utc_offset_minutes", offset.count()},
          {"open_on_holidays", spec == nullptr || spec->open_on_holidays},
          {"weekly", std::move(weekly)}};
}

// A queue's hours id and offset, as Config::QueueCalendar resolves them.
std::pair<std::string, std::chrono::minutes> QueueHours(const Config& config, const QueueConfig& q) {
  const Centre* centre = config.FindCentre(q.centre);
  std::string hours = q.hours;
  if (hours.empty() && centre != nullptr) hours = centre->hours;
  return {hours, centre != nullptr ? centre->utc_offset : std::chrono::minutes(180)};
}

json NamesJson(const std::map<std::string, std::string>& names) {
  json n = json::object();
  for (const auto& [lang, text] : names) n[lang] = text;
  return n;
}

json TypicalAnswers(const Config& config) {
  json out = json::array();
  const IvrModel* model = config.ivr.model.get();
  if (model == nullptr) return out;
  for (const auto& [id, node] : model->nodes) {
    const auto* answer = std::get_if<IvrTypicalAnswerNode>(&node.spec);
    if (answer == nullptr) continue;
    json text = json::object();
    auto it = model->prompts.find(answer->answer);
    if (it != model->prompts.end()) {
      for (const auto& [lang, prompt] : it->second) text[lang] = prompt.text;
    }
    out.push_back({{"id", id},
                   {"topic", node.topic.empty() ? json(nullptr) : json(node.topic)},
                   {"text", std::move(text)}});
  }
  return out;
}

}  // namespace

json BuildPublicStatus(const Config& config, Time now, const EstimatedWaitSource& waits) {
  bool line_open = false;
  std::optional<Time> next_open;
  json topics = json::array();
  json phone_questions = json::array();
  for (const Topic& topic : config.topics) {
    bool open = false;
    std::optional<Time> topic_next;
    json hours = nullptr;
    for (const QueueConfig& q : config.queues) {
      if (q.topic != topic.id) continue;
      const BusinessCalendar cal = config.QueueCalendar(q);
      if (cal.IsOpen(now)) {
        open = true;
      } else {
        const Time n = cal.NextOpen(now);
        if (n > now && (!topic_next || n < *topic_next)) topic_next = n;
      }
      if (hours.is_null()) {
        auto [hours_id, offset] = QueueHours(config, q);
        hours = HoursJson(config, hours_id, offset);
      }
    }
    line_open |= open;
    if (!open && topic_next && (!next_open || *topic_next < *next_open)) next_open = topic_next;
    json wait = nullptr;
    if (open) {
      if (auto w = waits.For(topic.id)) {
        wait = std::chrono::duration_cast<std::chrono::seconds>(*w).count();
      }
    }
    topics.push_back({{"id", topic.id},
                      {"names", NamesJson(topic.names)},
                      {"open", open},
                      {"next_open", open || !topic_next ? json(nullptr) : json(FormatIso8601(*topic_next))},
                      {"estimated_wait_seconds", wait},
                      {"phone_solvable", topic.phone_solvable},
                      {"hours", std::move(hours)}});
    if (topic.phone_solvable) {
      phone_questions.push_back({{"topic", topic.id}, {"names", NamesJson(topic.names)}});
    }
  }
  return {{"service", config.service.name},
          {"numbers", config.service.numbers},
          {"languages", config.service.languages},
          {"generated_at", FormatIso8601(now)},
          {"open", line_open},
          {"next_open", line_open || !next_open ? json(nullptr) : json(FormatIso8601(*next_open))},
          {"topics", std::move(topics)},
          {"phone_questions", std::move(phone_questions)},
          {"self_service_answers", TypicalAnswers(config)}};
}

Status AddPublicStatusRoutes(Router& router, const Config& config, const Clock& clock,
                             const EstimatedWaitSource& waits) {
  // Not owned: the aliasing shared_ptr only hands out the caller's config.
  std::shared_ptr<const Config> fixed(std::shared_ptr<const Config>(), &config);
  return AddPublicStatusRoutes(router, [fixed] { return fixed; }, clock, waits);
}

Status AddPublicStatusRoutes(Router& router, ConfigProvider config, const Clock& clock,
                             const EstimatedWaitSource& waits) {
  Route route;
  route.method = Method::kGet;
  route.pattern = kPublicStatusPath;
  route.role = Role::kPublic;
  route.doc = {.operation_id = "getPublicStatus",
               .summary = "Public status of the line (R3): open or closed, estimated wait per "
                          "topic, hours, what can be solved by phone",
               .tag = "public",
               .response_headers = {"Cache-Control"}};
  route.handler = [config = std::move(config), &clock, &waits](const HttpRequest&) {
    const std::shared_ptr<const Config> now = config();
    if (now == nullptr) return ErrorResponse(503, "unavailable", "no configuration loaded");
    HttpResponse r = JsonResponse(200, BuildPublicStatus(*now, clock.Now(), waits));
    // Short: a busy page must not turn into load, but the wait should stay fresh.
    r.headers.emplace_back("Cache-Control", "public, max-age=10");
    return r;
  };
  return router.Add(std::move(route));
}

}  // namespace gosline::http
