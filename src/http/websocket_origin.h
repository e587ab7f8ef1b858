// Whose pages may open a WebSocket to us (the live feed). Browsers send
// cookies with a WebSocket handshake from any site and do not apply CORS to
// it; what they do send is the page's Origin. So a handshake that carries an
// Origin is accepted only from the server's own origin (the Host it was
// asked for) or one of http.allowed_origins; a client without an Origin is
// not a browser page and authenticates on its own (bearer token).
#pragma once

#include <string>
#include <vector>

#include "http/http_message.h"

namespace gosline::http {

bool WebSocketOriginAllowed(const HttpRequest& request, const std::vector<std::string>& allowed);

}  // namespace gosline::http
