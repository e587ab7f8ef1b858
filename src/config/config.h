// The hotline's configuration as typed data: one YAML file (config/gosline.yaml)
// loaded and validated by config_loader.h. Later issues extend these structs
// (IVR menus, operators, security); every section stays plain data.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/citizen_api_config.h"
#include "config/cluster_config.h"
#include "config/ivr_config.h"
#include "config/security_config.h"
#include "config/telephony_config.h"
#include "core/calendar/business_calendar.h"
#include "core/corrective/corrective_rule.h"
#include "core/routing/routing_config.h"

namespace gosline {

struct ServiceConfig {
  std::string name;                  // "Единая линия поддержки Госуслуг"
  std::vector<std::string> numbers;  // dialled numbers that enter the service (R1)
  std::string default_language = "ru";
  std::vector<std::string> languages{"ru"};
};

// HTTPS (R22, in transit): a second listener beside the plain one, same
// routes. Plain HTTP stays on `port` for loopback clients (health checks, the
// demo); expose only the TLS port beyond the host.
struct HttpTlsConfig {
  bool enabled = false;
  std::string listen;            // "" = http.listen
  uint16_t port = 8443;          // 0 = any free port (tests)
  std::string cert_file = "var/tls/server.crt";  // PEM chain
  std::string key_file = "var/tls/server.key";   // PEM private key
  std::string min_version = "1.2";               // 1.2 | 1.3
};

struct HttpConfig {
  std::string listen = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 16;            // handlers block on the store's group commit; more threads, bigger groups
  size_t max_body_bytes = 1 << 20;     // larger bodies get 413
  int read_timeout_ms = 10000;         // slow clients are cut off
  int idle_timeout_ms = 60000;         // keep-alive connections without requests
  size_t max_connections = 10000;
  // Connections at once from one client address; more are closed at accept,
  // before anything is read, so one host cannot take the whole server.
  size_t max_connections_per_address = 64;
  // Web origins ("https://gosline.example") whose pages may open the live
  // feed (WebSocket) besides the server's own; a browser sends the page's
  // Origin, and a page of another site must not ride a signed-in operator's
  // cookie into the feed (cross-site WebSocket hijacking).
  std::vector<std::string> allowed_origins;
  HttpTlsConfig tls;
};

// storage.driver: postgres. Several nodes share one database (R4, R11).
struct PostgresStorageConfig {
  // libpq connection string ("host=db.internal dbname=gosline user=gosline");
  // never a password: it is logged and shown.
  std::string conninfo;
  // File whose first line is the password ("" = none: peer, trust or
  // certificate authentication); refused when group or others may read it.
  std::string password_file;
  int max_connections = 8;  // connections of this node
};

struct StorageConfig {
  std::string driver = "sqlite";       // sqlite (embedded, one node) | postgres
  std::string path = "var/gosline.db"; // sqlite file, relative to the working directory
  // normal: committed writes survive a process crash (kill -9);
  // full: they also survive power loss (fsync per commit). SQLite only.
  std::string synchronous = "full";
  PostgresStorageConfig postgres;
};

// The operators' knowledge base: Markdown articles, indexed at start.
struct KnowledgeConfig {
  std::string dir = "data/knowledge";  // relative to the working directory
};

struct Topic {
  std::string id;                      // "registration"
  std::map<std::string, std::string> names;  // language -> name
  std::string agency;                  // default agency id
  std::string service_code;            // digits a caller may key to jump here (R5)
  bool regional = false;               // routed to the caller's regional centre (R10)
  bool phone_solvable = false;         // listed on the public status page (R3)
};

struct Agency {
  std::string id;
  std::string name;
};

struct Region {
  std::string code;                    // federal subject code: "77", "16"
  std::string name;
  std::chrono::minutes utc_offset{180};
  std::string centre;                  // centre id that serves it ("" = federal)
};

struct HoursSpec {
  std::string id;                      // "24x7", "business"
  WeeklyHours weekly;
  // "24/7" lines never close, public holidays included; weekly hours close on
  // holidays unless the YAML says `open_on_holidays: true`.
  bool open_on_holidays = false;
};

struct Centre {
  std::string id;                      // "federal", "kazan"
  std::string name;
  std::string hours;                   // HoursSpec id
  std::chrono::minutes utc_offset{180};
};

struct HolidayCalendar {
  std::set<std::chrono::sys_days> holidays;
  std::set<std::chrono::sys_days> working_days;  // transferred working days (weekends that work)
};

struct QueueConfig {
  std::string id;
  std::string topic;                   // topic id
  std::string centre;                  // centre id
  std::string hours;                   // HoursSpec id (defaults to the centre's)
};

struct EscalationConfig {
  int business_days = 1;               // R16: reply due within one business day
  std::string hours = "business";      // HoursSpec id used to count business time
  std::string centre = "federal";      // whose UTC offset applies
};

// The contact centre's settings from the `routing:` section beyond what the
// routing core reads: each operator's phone and the announcements.
struct OperatorPhone {
  std::string contact;   // static SIP URI "sip:ivanova@127.0.0.1:5090"; "" = registration only
  std::string sip_user;  // the SIP user the phone registers as; "" = the operator id
  // Encrypted audio to this phone (R22): "off", "offer", "required"; "" =
  // telephony.srtp.
  std::string srtp;
};
struct CentreSettings {
  Duration announce_every{std::chrono::seconds(45)};  // position repeated to waiting callers
  std::map<std::string, OperatorPhone> phones;        // operator id -> phone
};

struct Config {
  std::string source_path;             // where it was loaded from
  ServiceConfig service;
  HttpConfig http;
  StorageConfig storage;
  KnowledgeConfig knowledge;           // knowledge-base articles
  std::vector<Topic> topics;
  std::vector<Agency> agencies;
  std::vector<Region> regions;
  std::vector<HoursSpec> hours;
  std::vector<Centre> centres;
  HolidayCalendar holidays;
  std::vector<QueueConfig> queues;
  EscalationConfig escalation;
  IvrConfig ivr;                       // the voice menu (R5); see ivr_config_loader.h
  routing::RoutingConfig routing;      // operators, overflow (R9-R12); see routing_config_loader.h
  CentreSettings centre;               // operator phones, announcements; same loader
  TelephonySettings telephony;         // SIP/RTP endpoint; see telephony_config_loader.h
  SecuritySettings security;           // sessions, lockout, keys, audit; security_config_loader.h
  ClusterSettings cluster;             // node name, drain on SIGTERM; cluster_config_loader.h
  // R13: actions the line takes by itself past its thresholds; corrective_config_loader.h
  std::vector<corrective::CorrectiveRule> corrective_actions;
  CitizenApiSettings citizen_api;      // citizens' API and webhooks (R26, R27); citizen_api_config_loader.h

  const Topic* FindTopic(const std::string& id) const;
  const Agency* FindAgency(const std::string& id) const;
  const Region* FindRegion(const std::string& code) const;
  const HoursSpec* FindHours(const std::string& id) const;
  const Centre* FindCentre(const std::string& id) const;
  const QueueConfig* FindQueue(const std::string& id) const;
  // The calendar used for escalation due times (R16).
  BusinessCalendar EscalationCalendar() const;
  // A queue's opening hours (R2): its hours (or its centre's) in its centre's time zone.
  BusinessCalendar QueueCalendar(const QueueConfig& queue) const;
  // Hours `hours_id` at `utc_offset` with this config's holidays and transferred
  // working days (which get the hours of a normal weekday). Unknown ids give 24/7.
  BusinessCalendar CalendarFor(const std::string& hours_id, std::chrono::minutes utc_offset) const;
};

}  // namespace gosline
