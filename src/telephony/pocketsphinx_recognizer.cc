#include "telephony/pocketsphinx_recognizer.h"

#include <pocketsphinx.h>
#include <sphinxbase/fsg_model.h>
#include <sphinxbase/jsgf.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "core/speech/spoken_phrases.h"

namespace gosline::telephony {
namespace {

// The grammar's name inside the decoder; each turn replaces it.
constexpr char kTurnSearch[] = "turn";
constexpr char kOpenSearch[] = "open";
constexpr char kBabbleSearch[] = "babble";
// Any sequence of short, common words: a cheap stand-in for "any speech at
// all" against which the turn's best path is compared.
constexpr char kBabbleGrammar[] =
    "#JSGF V1.0;\ngrammar babble;\npublic <babble> = ( a | the | uh | um | oh | and | i | it | is "
    "| to | of | in | on | at | he | she | we | you | be | so | do | go | me | my | that | this | "
    "what | well | but | for | with | all | can | get | see | say | set | sit | pay | put | take | "
    "make | fine | time | line | bit | ten | six | sure | check | back | tell )+;\n";
// Noise that fills the band above 4 kHz: peak amplitude of the uniform noise.
constexpr int kNoiseFill = 100;
// The longest utterance kept for the confidence pass (16 kHz samples, 30 s).
constexpr size_t kMaxUtterance = 16000 * 30;
// Log-likelihood ratio per frame (the turn's best path against babble) that
// maps to confidence 0 and 1. Measured on espeak-ng speech over 8 kHz: words
// of the list score 3-8, a wrong forced match 2 or less.
constexpr double kRatioAtZero = 0.0;
constexpr double kRatioAtOne = 10.0;

std::vector<std::string> SplitWords(const std::string& phrase) {
  std::vector<std::string> words;
  std::istringstream in(phrase);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// ps_set_jsgf_string of Debian's pocketsphinx never frees the parsed grammar
// (every turn would leak it); this is the same, with the grammar freed.
bool SetGrammar(ps_decoder_t* decoder, const char* name, const std::string& jsgf_text) {
  jsgf_t* jsgf = jsgf_parse_string(jsgf_text.c_str(), nullptr);
  if (jsgf == nullptr) return false;
  bool ok = false;
  if (jsgf_rule_t* rule = jsgf_get_public_rule(jsgf)) {
    const auto lw = static_cast<float32>(cmd_ln_float_r(ps_get_config(decoder), "-lw"));
    if (fsg_model_t* fsg = jsgf_build_fsg(jsgf, rule, ps_get_logmath(decoder), lw)) {
      ok = ps_set_fsg(decoder, name, fsg) == 0;
      fsg_model_free(fsg);
    }
  }
  jsgf_grammar_free(jsgf);
  return ok;
}

}  // namespace

bool PocketsphinxModelInstalled(const PocketsphinxModel& model) {
  std::error_code ec;
  return std::filesystem::is_directory(model.acoustic_model, ec) &&
         std::filesystem::is_regular_file(model.dictionary, ec);
}

struct PocketsphinxRecognizer::Impl {
  PocketsphinxModel model;
  cmd_ln_t* config = nullptr;
  ps_decoder_t* decoder = nullptr;
  bool in_utterance = false;
  bool upsample = false;       // 8 kHz in, 16 kHz model
  int16_t previous = 0;        // last input sample, for the interpolation across frames
  std::string last_partial;
  std::string search;          // of the turn in progress
  std::vector<int16_t> buffer;
  std::vector<int16_t> utterance;  // what was decoded, for the confidence pass
  uint32_t noise_state = 1;

  // Deterministic, so the same audio always gives the same answer.
  int16_t Noise() {
    noise_state = noise_state * 1103515245u + 12345u;
    return static_cast<int16_t>(static_cast<int>((noise_state >> 16) % (2 * kNoiseFill + 1)) -
                                kNoiseFill);
  }
  double Confidence(int32 grammar_score, int frames);

  ~Impl() {
    if (decoder != nullptr) ps_free(decoder);
    if (config != nullptr) cmd_ln_free_r(config);
  }
};

PocketsphinxRecognizer::PocketsphinxRecognizer(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
PocketsphinxRecognizer::~PocketsphinxRecognizer() = default;

Result<std::unique_ptr<PocketsphinxRecognizer>> PocketsphinxRecognizer::Open(
    const PocketsphinxModel& model) {
  if (!PocketsphinxModelInstalled(model)) {
    return Status::Unavailable("pocketsphinx model for '" + model.language + "' not installed (" +
                               model.acoustic_model + ")");
  }
  auto impl = std::make_unique<Impl>();
  impl->model = model;
  impl->config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", model.acoustic_model.c_str(),
                             "-dict", model.dictionary.c_str(), "-logfn", "/dev/null",
                             "-samprate", "16000", nullptr);
  if (impl->config == nullptr) return Status::Internal("pocketsphinx configuration refused");
  impl->decoder = ps_init(impl->config);
  if (impl->decoder == nullptr) {
    return Status::Unavailable("pocketsphinx could not load the model " + model.acoustic_model);
  }
  if (!SetGrammar(impl->decoder, kBabbleSearch, kBabbleGrammar)) {
    return Status::Unavailable("pocketsphinx could not compile the comparison grammar");
  }
  if (!model.language_model.empty() &&
      std::filesystem::is_regular_file(model.language_model)) {
    if (ps_set_lm_file(impl->decoder, kOpenSearch, model.language_model.c_str()) != 0) {
      return Status::Unavailable("pocketsphinx could not load " + model.language_model);
    }
  }
  return std::unique_ptr<PocketsphinxRecognizer>(new PocketsphinxRecognizer(std::move(impl)));
}

Status PocketsphinxRecognizer::Begin(const RecognitionTurn& turn) {
  Impl& d = *impl_;
  if (d.in_utterance) {
    ps_end_utt(d.decoder);
    d.in_utterance = false;
  }
  if (turn.language != d.model.language) {
    return Status::InvalidArgument("no speech model for language '" + turn.language + "'",
                                   "language");
  }
  if (turn.sample_rate != 8000 && turn.sample_rate != 16000) {
    return Status::InvalidArgument("sample rate must be 8000 or 16000", "sample_rate");
  }
  if (turn.phrases.empty()) {
    if (ps_get_lm(d.decoder, kOpenSearch) == nullptr) {
      return Status::InvalidArgument("this model has no open vocabulary; give phrases",
                                     "phrases");
    }
    d.search = kOpenSearch;
  } else {
    // #JSGF: <turn> = (one | two words | ...) [+ for a sequence]. Every word
    // must be in the dictionary, or pocketsphinx would silently drop it.
    std::string alternatives;
    for (const std::string& raw : turn.phrases) {
      const std::string phrase = NormalisePhrase(raw);
      const std::vector<std::string> words = SplitWords(phrase);
      if (words.empty()) continue;
      for (const std::string& w : words) {
        char* pron = ps_lookup_word(d.decoder, w.c_str());
        if (pron == nullptr) {
          return Status::InvalidArgument("the word '" + w + "' is not in the " +
                                             d.model.language + " speech dictionary",
                                         "phrases");
        }
        ckd_free(pron);
      }
      if (!alternatives.empty()) alternatives += " | ";
      alternatives += phrase;
    }
    if (alternatives.empty()) return Status::InvalidArgument("no phrase to listen for", "phrases");
    const std::string grammar = "#JSGF V1.0;\ngrammar turn;\npublic <turn> = ( " + alternatives +
                                " )" + (turn.sequence ? "+" : "") + ";\n";
    if (!SetGrammar(d.decoder, kTurnSearch, grammar)) {
      return Status::Internal("pocketsphinx refused the grammar of the turn");
    }
    d.search = kTurnSearch;
  }
  if (ps_set_search(d.decoder, d.search.c_str()) != 0) {
    return Status::Internal("pocketsphinx search");
  }
  if (ps_start_utt(d.decoder) != 0) return Status::Internal("pocketsphinx could not start");
  d.in_utterance = true;
  d.upsample = turn.sample_rate == 8000;
  d.previous = 0;
  d.last_partial.clear();
  d.utterance.clear();
  d.noise_state = 1;
  return Status::Ok();
}

std::optional<RecognitionHypothesis> PocketsphinxRecognizer::Feed(std::span<const int16_t> pcm) {
  Impl& d = *impl_;
  if (!d.in_utterance || pcm.empty()) return std::nullopt;
  if (d.upsample) {
    // Doubling by linear interpolation: the line carries nothing above 4 kHz,
    // so there is nothing finer to reconstruct; the noise fills that band.
    d.buffer.resize(pcm.size() * 2);
    for (size_t i = 0; i < pcm.size(); ++i) {
      const int mid = (static_cast<int>(d.previous) + pcm[i]) / 2;
      d.buffer[2 * i] = static_cast<int16_t>(std::clamp(mid + d.Noise(), -32768, 32767));
      d.buffer[2 * i + 1] =
          static_cast<int16_t>(std::clamp(static_cast<int>(pcm[i]) + d.Noise(), -32768, 32767));
      d.previous = pcm[i];
    }
  } else {
    d.buffer.assign(pcm.begin(), pcm.end());
  }
  const size_t room = kMaxUtterance - std::min(kMaxUtterance, d.utterance.size());
  d.utterance.insert(d.utterance.end(), d.buffer.begin(),
                     d.buffer.begin() + static_cast<std::ptrdiff_t>(std::min(room, d.buffer.size())));
  if (ps_process_raw(d.decoder, d.buffer.data(), d.buffer.size(), FALSE, FALSE) < 0) {
    return std::nullopt;
  }
  int32 score = 0;
  const char* hyp = ps_get_hyp(d.decoder, &score);
  const std::string text = hyp != nullptr ? NormalisePhrase(hyp) : std::string();
  if (text == d.last_partial) return std::nullopt;
  d.last_partial = text;
  return RecognitionHypothesis{text, 0.0, false};
}

RecognitionHypothesis PocketsphinxRecognizer::Finish() {
  Impl& d = *impl_;
  RecognitionHypothesis out;
  out.final = true;
  if (!d.in_utterance) return out;
  ps_end_utt(d.decoder);
  d.in_utterance = false;
  int32 score = 0;
  const char* hyp = ps_get_hyp(d.decoder, &score);
  if (hyp == nullptr) return out;
  out.text = NormalisePhrase(hyp);
  if (out.text.empty()) return out;
  out.confidence = d.Confidence(score, ps_get_n_frames(d.decoder));
  return out;
}

double PocketsphinxRecognizer::Impl::Confidence(int32 grammar_score, int frames) {
  if (frames <= 0 || utterance.empty()) return 0.0;
  int32 babble_score = 0;
  const bool ok = ps_set_search(decoder, kBabbleSearch) == 0 && ps_start_utt(decoder) == 0 &&
                  ps_process_raw(decoder, utterance.data(), utterance.size(), FALSE, TRUE) >= 0 &&
                  ps_end_utt(decoder) == 0 && ps_get_hyp(decoder, &babble_score) != nullptr;
  (void)ps_set_search(decoder, search.c_str());
  if (!ok) return 0.0;
  const double ratio = static_cast<double>(grammar_score - babble_score) / frames;
  return std::clamp((ratio - kRatioAtZero) / (kRatioAtOne - kRatioAtZero), 0.0, 1.0);
}

Result<std::unique_ptr<Recognizer>> PocketsphinxRecognizerFactory::Create() {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<PocketsphinxRecognizer> r,
                           PocketsphinxRecognizer::Open(model_));
  return std::unique_ptr<Recognizer>(std::move(r));
}

}  // namespace gosline::telephony
