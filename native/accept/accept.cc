// acceptMore(listenFd, max): the connections already waiting on a listening
// socket, accepted at once (src/dataplane/listeners/accept-burst.ts).
//
// libuv accepts one connection per event-loop turn (libuv PR #3696), and a
// turn of a busy data-plane worker is long: under load new connections wait
// in the kernel's queue for hundreds of milliseconds, one taken per turn.
// When libuv hands over a connection, the listener calls this to take the
// rest of the queue in the same turn; JavaScript opens a TCP handle on each
// descriptor and gives it to the server's own connection handler. Linux only (binding.gyp builds an empty module elsewhere).
#include <node_api.h>

#include <errno.h>
#include <sys/socket.h>

namespace {

napi_value AcceptMore(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 2) return nullptr;
  int32_t fd = -1, max = 0;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int32(env, argv[1], &max) != napi_ok) {
    napi_throw_type_error(env, nullptr, "acceptMore(fd, max): two integers");
    return nullptr;
  }
  napi_value out;
  napi_create_array(env, &out);
  uint32_t n = 0;
  while (static_cast<int32_t>(n) < max) {
    int c = accept4(fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (c < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      break;  // EAGAIN: the queue is empty; EMFILE and the like: libuv meets them on its next accept
    }
    napi_value v;
    napi_create_int32(env, c, &v);
    napi_set_element(env, out, n++, v);
  }
  return out;
}

}  // namespace

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "acceptMore", NAPI_AUTO_LENGTH, AcceptMore, nullptr, &fn);
  napi_set_named_property(env, exports, "acceptMore", fn);
  return exports;
}
