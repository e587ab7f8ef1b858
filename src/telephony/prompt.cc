#include "telephony/prompt.h"

namespace gosline::telephony {

std::shared_ptr<const Prompt> MakePrompt(std::string id, std::vector<int16_t> pcm_8k) {
  auto p = std::make_shared<Prompt>();
  p->id = std::move(id);
  p->pcm = std::move(pcm_8k);
  const size_t rem = p->pcm.size() % kFrameSamples;
  if (rem != 0 || p->pcm.empty()) p->pcm.resize(p->pcm.size() + kFrameSamples - rem, 0);
  p->alaw.resize(p->pcm.size());
  p->ulaw.resize(p->pcm.size());
  G711Encode(G711Law::kAlaw, p->pcm, p->alaw.data());
  G711Encode(G711Law::kUlaw, p->pcm, p->ulaw.data());
  return p;
}

}  // namespace gosline::telephony
