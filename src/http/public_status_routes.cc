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
                      {"agency", topic.agency.empty() ? json(nullptr) : json(topic.agency)},
                      {"open", open},
                      {"next_open", open || !topic_next ? json(nullptr) : json(FormatIso8601(*topic_next))},
                      {"estimated_wait_seconds", wait},
                      {"phone_solvable", topic.phone_solvable},
                      {"hours", std::move(hours)}});
    if (topic.phone_solvable) {
      phone_questions.push_back({{"topic", topic.id}, {"names", NamesJson(topic.names)}});
    }
  }
  // Published so the operators' case forms can offer names, not ids; the
  // names are those of public bodies, nothing internal.
  json agencies = json::array();
  for (const Agency& a : config.agencies) agencies.push_back({{"id", a.id}, {"name", a.name}});
  return {{"service", config.service.name},
          {"numbers", config.service.numbers},
          {"languages", config.service.languages},
          {"generated_at", FormatIso8601(now)},
          {"open", line_open},
          {"next_open", line_open || !next_open ? json(nullptr) : json(FormatIso8601(*next_open))},
          {"topics", std::move(topics)},
          {"agencies", std::move(agencies)},
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
               .response_schema = "PublicStatus",
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

void AddPublicStatusSchemas(json& s) {
  const json str = {{"type", "string"}};
  const json nullable_str = {{"type", "string"}, {"nullable", true}};
  const json names = {{"type", "object"},
                      {"description", "Name per language: {\"ru\": ..., \"en\": ...}"},
                      {"additionalProperties", str}};
  const json time = {{"type", "string"}, {"format", "date-time"}, {"nullable", true}};
  const json day = {{"type", "object"},
                    {"properties", {{"day", str}, {"open", nullable_str}, {"close", nullable_str}}}};
  const json hours = {{"type", "object"},
                      {"nullable", true},
                      {"properties", {{"id", str},
                                      {"utc_offset_minutes", {{"type", "integer"}}},
                                      {"open_on_holidays", {{"type", "boolean"}}},
                                      {"weekly", {{"type", "array"}, {"items", day}}}}}};
  const json topic = {
      {"type", "object"},
      {"required", {"id", "names", "open"}},
      {"properties",
       {{"id", str},
        {"names", names},
        {"agency", {{"type", "string"}, {"nullable", true}, {"description", "Default agency id"}}},
        {"open", {{"type", "boolean"}}},
        {"next_open", time},
        {"estimated_wait_seconds", {{"type", "integer"}, {"nullable", true}}},
        {"phone_solvable", {{"type", "boolean"}}},
        {"hours", hours}}}};
  const json agency = {{"type", "object"},
                       {"required", {"id", "name"}},
                       {"properties", {{"id", str}, {"name", str}}}};
  s["PublicStatus"] = {
      {"type", "object"},
      {"required", {"open", "topics", "agencies"}},
      {"properties",
       {{"service", str},
        {"numbers", {{"type", "array"}, {"items", str}}},
        {"languages", {{"type", "array"}, {"items", str}}},
        {"generated_at", {{"type", "string"}, {"format", "date-time"}}},
        {"open", {{"type", "boolean"}}},
        {"next_open", time},
        {"topics", {{"type", "array"}, {"items", topic}}},
        {"agencies", {{"type", "array"}, {"items", agency}}},
        {"phone_questions",
         {{"type", "array"},
          {"items", {{"type", "object"}, {"properties", {{"topic", str}, {"names", names}}}}}}},
        {"self_service_answers",
         {{"type", "array"},
          {"items", {{"type", "object"},
                     {"properties", {{"id", str}, {"topic", nullable_str}, {"text", names}}}}}}}}}};
}

}  // namespace gosline::http
