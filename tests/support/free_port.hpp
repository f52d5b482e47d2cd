// A TCP port on 127.0.0.1 that nobody listens on right now (bind to port 0, read it, close).
// Another process may take it before we do: callers that start servers retry on a new port.
#pragma once

namespace seckill::test {

int free_port();

}  // namespace seckill::test
