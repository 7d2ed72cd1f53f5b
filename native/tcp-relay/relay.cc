// shoal's TCP relay: the byte path of network load balancer TCP listeners,
// off Node's event loop (src/dataplane/tcp/native-relay.ts drives it).
//
// Node's net.Socket costs about three times HAProxy's CPU per connection and
// moves bulk bytes at about 0.8x (bench/: plain node:net piping measures
// that), so plain TCP listeners are this thread's: it listens (a socket per
// worker, SO_REUSEPORT, the kernel spreading connections), accepts, picks a target from the table JavaScript last published
// (round robin, or source_ip rendezvous hashing as tcp/source-hash.ts),
// connects (from the client's own address with preserve_client_ip), sends a
// PROXY v2 header first when asked, and relays bytes both ways with
// backpressure (a side is not read while the other has unwritten bytes),
// passing half-closes on and turning a reset on one side into a reset on the
// other. Counters are taken by collect(); connect failures are posted to
// JavaScript, which marks the target suspect and republishes the table.
//
// One thread per process with its own epoll set; JavaScript talks to it
// through a command queue woken by an eventfd. Linux only (binding.gyp builds
// an empty module elsewhere and the JavaScript flow path is used).
#include <node_api.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace {

constexpr size_t kReadBuffer = 256 * 1024;
constexpr int kAcceptBurst = 128;
constexpr int kReadBurst = 4;

struct Target {
  uint32_t id = 0;
  std::string key;
  uint32_t zone = 0;
  sockaddr_storage addr{};
  socklen_t addrLen = 0;
};

struct Table {
  std::vector<Target> candidates;
  /** Zone names by index (Target::zone), in name order as tcp/zones.ts groups them. */
  std::vector<std::string> zoneNames;
  bool proxyV2 = false;
  bool preserveClientIp = false;
  bool sourceSticky = false;
  bool crossZone = true;
  uint32_t idleMs = 350000;
};

struct ListenerCounters {
  uint64_t newConnections = 0;
  uint64_t processedBytes = 0;
  uint64_t active = 0;
};

struct TargetCounters {
  uint64_t sent = 0;
  uint64_t received = 0;
  uint64_t inflight = 0;
};

struct Listener;
struct Conn;

enum Kind : uint8_t { kListener, kWake, kEnd };

// What an epoll event points at.
struct Handle {
  Kind kind;
  Listener* listener = nullptr;
  Conn* conn = nullptr;
  int side = 0;
};

struct Listener {
  uint32_t id = 0;
  int fd = -1;
  Handle handle{kListener};
  std::shared_ptr<const Table> table = std::make_shared<Table>();
  uint64_t next = 0;  // round robin position (targets, or zones when cross-zone is off)
  std::vector<uint64_t> zoneNext;
  bool closed = false;
  int conns = 0;
  // Out of file descriptors: accepting pauses for a moment instead of spinning on a level-triggered wake.
  bool paused = false;
  uint64_t pausedAt = 0;
};

// Side 0 is the client, side 1 the target.
struct Conn {
  Listener* listener = nullptr;
  std::shared_ptr<const Table> table;
  int fd[2] = {-1, -1};
  Handle ends[2] = {{kEnd}, {kEnd}};
  uint32_t interest[2] = {0, 0};
  bool registered[2] = {false, false};
  bool connected = false;
  bool eof[2] = {false, false};   // read the side's FIN
  bool shut[2] = {false, false};  // sent FIN to the side
  std::string pending[2];         // bytes waiting to be written to the side
  uint32_t targetId = 0;
  std::string targetKey;
  bool retried = false;
  sockaddr_storage client{};
  socklen_t clientLen = 0;
  std::string clientIp;
  uint64_t lastActive = 0;
};

enum class Op { Listen, Unlisten, SetTable, TerminateTarget, TerminateAll, Stop };

struct Command {
  Op op;
  uint32_t id = 0;
  int fd = -1;
  std::shared_ptr<const Table> table;
};

struct Failure {
  std::string key;
  std::string message;
};

uint64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// tcp/source-hash.ts: FNV-1a of the client address seeds FNV-1a of each key, then murmur3's fmix32.
uint32_t fnv1a(const std::string& text, uint32_t seed) {
  uint32_t h = seed;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 0x01000193u;
  }
  return h;
}

uint32_t mix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

class Relay {
 public:
  Relay() {
    ep_ = epoll_create1(EPOLL_CLOEXEC);
    wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &wakeHandle_;
    epoll_ctl(ep_, EPOLL_CTL_ADD, wake_, &ev);
    buffer_.resize(kReadBuffer);
    thread_ = std::thread([this] { Run(); });
  }

  ~Relay() {
    Post(Command{Op::Stop, 0, -1, nullptr});
    if (thread_.joinable()) thread_.join();
    close(wake_);
    close(ep_);
  }

  void Post(Command c) {
    {
      std::lock_guard<std::mutex> lock(commandsMutex_);
      commands_.push_back(std::move(c));
    }
    uint64_t one = 1;
    ssize_t ignored = write(wake_, &one, sizeof one);
    (void)ignored;
  }

  // Counters since the last call (open connections and in-flight counts are gauges).
  void Collect(std::unordered_map<uint32_t, ListenerCounters>& listeners, std::unordered_map<uint32_t, TargetCounters>& targets, uint64_t& open) {
    std::lock_guard<std::mutex> lock(statsMutex_);
    listeners.swap(sharedListeners_);
    targets.swap(sharedTargets_);
    sharedListeners_.clear();
    sharedTargets_.clear();
    for (auto& [id, n] : sharedActive_) listeners[id].active = n;
    for (auto& [id, n] : sharedInflight_) targets[id].inflight = n;
    open = sharedOpen_;
  }

  std::vector<Failure> TakeFailures() {
    std::lock_guard<std::mutex> lock(statsMutex_);
    std::vector<Failure> out;
    out.swap(failures_);
    return out;
  }

  void SetNotify(napi_threadsafe_function tsfn) { notify_ = tsfn; }

 private:
  void Run() {
    std::vector<epoll_event> events(256);
    uint64_t lastSweep = nowMs();
    while (!stopping_) {
      int n = epoll_wait(ep_, events.data(), static_cast<int>(events.size()), AnyPaused() ? 100 : 1000);
      now_ = nowMs();
      Unpause();
      for (int i = 0; i < n; i++) {
        auto* h = static_cast<Handle*>(events[i].data.ptr);
        uint32_t e = events[i].events;
        switch (h->kind) {
          case kWake: Drain(); break;
          case kListener: Accept(h->listener); break;
          case kEnd: OnEnd(h->conn, h->side, e); break;
        }
      }
      FreeDead();
      if (now_ - lastSweep >= 1000) {
        lastSweep = now_;
        Sweep();
      }
      Publish();
    }
    for (Conn* c : std::vector<Conn*>(conns_.begin(), conns_.end())) Finish(c, true);
    FreeDead();
    // CloseListener moves each out of listeners_: close from a copy of the list.
    std::vector<Listener*> open;
    for (auto& [id, l] : listeners_) open.push_back(l.get());
    for (Listener* l : open) CloseListener(l);
    Publish();
  }

  bool AnyPaused() const {
    for (auto& [id, l] : listeners_) if (l->paused) return true;
    return false;
  }

  // Accepting again 100 ms after running out of descriptors.
  void Unpause() {
    for (auto& [id, l] : listeners_) {
      if (!l->paused || l->closed || now_ - l->pausedAt < 100) continue;
      l->paused = false;
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLEXCLUSIVE;
      ev.data.ptr = &l->handle;
      epoll_ctl(ep_, EPOLL_CTL_ADD, l->fd, &ev);
    }
  }

  void Drain() {
    uint64_t count;
    ssize_t ignored = read(wake_, &count, sizeof count);
    (void)ignored;
    std::deque<Command> batch;
    {
      std::lock_guard<std::mutex> lock(commandsMutex_);
      batch.swap(commands_);
    }
    for (Command& c : batch) {
      switch (c.op) {
        case Op::Listen: {
          auto l = std::make_unique<Listener>();
          l->id = c.id;
          l->fd = c.fd;
          l->handle.listener = l.get();
          epoll_event ev{};
          // Workers share one listening socket: wake one of them per connection.
          ev.events = EPOLLIN | EPOLLEXCLUSIVE;
          ev.data.ptr = &l->handle;
          epoll_ctl(ep_, EPOLL_CTL_ADD, l->fd, &ev);
          auto old = listeners_.find(c.id);
          if (old != listeners_.end()) CloseListener(old->second.get());
          listeners_[c.id] = std::move(l);
          break;
        }
        case Op::Unlisten: {
          auto it = listeners_.find(c.id);
          if (it != listeners_.end()) CloseListener(it->second.get());
          break;
        }
        case Op::SetTable: {
          auto it = listeners_.find(c.id);
          if (it != listeners_.end()) it->second->table = c.table;
          break;
        }
        case Op::TerminateTarget:
          for (Conn* conn : std::vector<Conn*>(conns_.begin(), conns_.end())) {
            if (conn->targetId == c.id) Finish(conn, true);
          }
          break;
        case Op::TerminateAll:
          for (Conn* conn : std::vector<Conn*>(conns_.begin(), conns_.end())) Finish(conn, true);
          break;
        case Op::Stop:
          stopping_ = true;
          break;
      }
    }
  }

  // Stops accepting; the listener's open connections go on. Freed once the last one ends.
  void CloseListener(Listener* l) {
    if (l->closed) return;
    l->closed = true;
    epoll_ctl(ep_, EPOLL_CTL_DEL, l->fd, nullptr);
    close(l->fd);
    l->fd = -1;
    auto it = listeners_.find(l->id);
    if (it != listeners_.end() && it->second.get() == l) {
      closedListeners_.push_back(std::move(it->second));
      listeners_.erase(it);
    }
  }

  void Accept(Listener* l) {
    for (int i = 0; i < kAcceptBurst && !l->closed; i++) {
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      int fd = accept4(l->fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          epoll_ctl(ep_, EPOLL_CTL_DEL, l->fd, nullptr);
          l->paused = true;
          l->pausedAt = now_;
        }
        return;  // EAGAIN, or a transient error (ECONNABORTED): try at the next wake
      }
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto* c = new Conn();
      c->listener = l;
      c->table = l->table;
      c->fd[0] = fd;
      c->client = addr;
      c->clientLen = len;
      c->clientIp = AddressText(addr);
      c->lastActive = now_;
      for (int s = 0; s < 2; s++) {
        c->ends[s].conn = c;
        c->ends[s].side = s;
      }
      conns_.insert(c);
      l->conns++;
      listenerCounters_[l->id].newConnections++;
      activeByListener_[l->id]++;
      open_++;
      gaugesChanged_ = dirty_ = true;
      if (!Connect(c, nullptr)) Finish(c, true);  // no target: NLB resets the connection
    }
  }

  static std::string AddressText(const sockaddr_storage& a) {
    char text[INET6_ADDRSTRLEN] = "";
    if (a.ss_family == AF_INET) inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(a).sin_addr, text, sizeof text);
    else if (a.ss_family == AF_INET6) inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(a).sin6_addr, text, sizeof text);
    return text;
  }

  // tcp/source-hash.ts: the highest mix(fnv1a(key, seed)) wins.
  static const Target* Rendezvous(const std::vector<const Target*>& items, uint32_t seed, uint32_t avoid) {
    const Target* best = nullptr;
    int64_t bestScore = -1;
    for (const Target* x : items) {
      if (x->id == avoid) continue;
      int64_t score = mix(fnv1a(x->key, seed));
      if (score > bestScore) {
        best = x;
        bestScore = score;
      }
    }
    return best;
  }

  // As tcp/pick.ts pickFlowTarget: cross-zone off (with more than one zone) spreads over the zones first.
  const Target* Pick(Conn* c, uint32_t avoid) {
    const Table& t = *c->table;
    const auto& cs = t.candidates;
    if (cs.empty()) return nullptr;
    const uint32_t zones = static_cast<uint32_t>(t.zoneNames.size());
    const bool zonal = !t.crossZone && zones > 1;
    Listener* l = c->listener;
    if (t.sourceSticky) {
      std::vector<const Target*> all;
      for (const Target& x : cs) all.push_back(&x);
      if (zonal) {
        // The client's address picks its zone (rendezvous over zone names), then its target there.
        uint32_t zoneSeed = fnv1a(c->clientIp, 0x01000193u);
        int64_t bestScore = -1;
        uint32_t zone = 0;
        for (uint32_t z = 0; z < zones; z++) {
          int64_t score = mix(fnv1a(t.zoneNames[z], zoneSeed));
          if (score > bestScore) {
            bestScore = score;
            zone = z;
          }
        }
        std::vector<const Target*> inZone;
        for (const Target* x : all) if (x->zone == zone) inZone.push_back(x);
        if (const Target* x = Rendezvous(inZone, fnv1a(c->clientIp, 0x811c9dc5u), avoid)) return x;
      }
      return Rendezvous(all, fnv1a(c->clientIp, 0x811c9dc5u), avoid);
    }
    if (zonal) {
      // The zones take turns (a zone whose only target is avoided is passed over), then a target of it in turn.
      if (l->zoneNext.size() < zones) l->zoneNext.resize(zones, 0);
      for (uint32_t k = 0; k < zones; k++) {
        uint32_t zone = static_cast<uint32_t>((l->next + k) % zones);
        std::vector<const Target*> inZone;
        for (const Target& x : cs) if (x.zone == zone && x.id != avoid) inZone.push_back(&x);
        if (inZone.empty()) continue;
        l->next = zone + 1;
        return inZone[l->zoneNext[zone]++ % inZone.size()];
      }
      return nullptr;
    }
    for (size_t tries = 0; tries < cs.size(); tries++) {
      const Target& x = cs[l->next++ % cs.size()];
      if (x.id != avoid) return &x;
    }
    return nullptr;
  }

  // Opens the connection to a target; false when there is none to try.
  bool Connect(Conn* c, const Target* avoidTarget) {
    const Target* t = Pick(c, avoidTarget ? avoidTarget->id : 0);
    if (t == nullptr) return false;
    int fd = socket(t->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (c->table->preserveClientIp && c->client.ss_family == AF_INET && t->addr.ss_family == AF_INET) {
      // Every 127.x address is this machine's: connect from the client's own, so the target sees it.
      auto client = reinterpret_cast<const sockaddr_in&>(c->client);
      if ((ntohl(client.sin_addr.s_addr) >> 24) == 127) {
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        sockaddr_in from{};
        from.sin_family = AF_INET;
        from.sin_addr = client.sin_addr;
        bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from);
      }
    }
    c->fd[1] = fd;
    c->targetId = t->id;
    c->targetKey = t->key;
    inflightByTarget_[t->id]++;
    gaugesChanged_ = dirty_ = true;
    int r = connect(fd, reinterpret_cast<const sockaddr*>(&t->addr), t->addrLen);
    if (r == 0) {
      Connected(c);
      return true;
    }
    if (errno != EINPROGRESS) {
      ConnectFailed(c, errno);  // retries or finishes the connection itself
      return true;
    }
    Watch(c, 1, EPOLLOUT);
    return true;
  }

  // A target that refused before any byte moved: reported, and one other candidate tried.
  void ConnectFailed(Conn* c, int err) {
    {
      std::lock_guard<std::mutex> lock(statsMutex_);
      failures_.push_back({c->targetKey, strerror(err)});
    }
      if (notify_ != nullptr) napi_call_threadsafe_function(notify_, nullptr, napi_tsfn_nonblocking);
    Target failed;
    failed.id = c->targetId;
    DropTarget(c);
    if (!c->retried) {
      c->retried = true;
      if (Connect(c, &failed)) return;
    }
    Finish(c, true);
  }

  // Closes the target side (close() also drops it from the epoll set) and its in-flight count.
  void DropTarget(Conn* c) {
    if (c->fd[1] >= 0) {
      close(c->fd[1]);
      c->fd[1] = -1;
      c->registered[1] = false;
      c->interest[1] = 0;
    }
    if (c->targetId != 0) {
      if (--inflightByTarget_[c->targetId] == 0) inflightByTarget_.erase(c->targetId);
      c->targetId = 0;
      gaugesChanged_ = dirty_ = true;
    }
  }

  void Connected(Conn* c) {
    c->connected = true;
    if (c->table->proxyV2) c->pending[1] = ProxyV2Header(c);
    // The client is read once the header is out (a side is never read while the other has bytes waiting).
    Watch(c, 0, c->pending[1].empty() ? static_cast<uint32_t>(EPOLLIN) : 0u);
    Watch(c, 1, c->pending[1].empty() ? EPOLLIN : (EPOLLIN | EPOLLOUT));
  }

  // PROXY protocol v2, PROXY command, TCP over IPv4 or IPv6 (tcp/proxy-v2.ts writes the same).
  std::string ProxyV2Header(Conn* c) {
    static const char sig[12] = {'\r', '\n', '\r', '\n', '\0', '\r', '\n', 'Q', 'U', 'I', 'T', '\n'};
    std::string h(sig, sizeof sig);
    sockaddr_storage local{};
    socklen_t len = sizeof local;
    getsockname(c->fd[0], reinterpret_cast<sockaddr*>(&local), &len);
    if (c->client.ss_family == AF_INET && local.ss_family == AF_INET) {
      auto& s = reinterpret_cast<const sockaddr_in&>(c->client);
      auto& d = reinterpret_cast<const sockaddr_in&>(local);
      h += '\x21';
      h += '\x11';
      h += '\x00';
      h += '\x0c';
      h.append(reinterpret_cast<const char*>(&s.sin_addr), 4);
      h.append(reinterpret_cast<const char*>(&d.sin_addr), 4);
      h.append(reinterpret_cast<const char*>(&s.sin_port), 2);
      h.append(reinterpret_cast<const char*>(&d.sin_port), 2);
    } else if (c->client.ss_family == AF_INET6 && local.ss_family == AF_INET6) {
      auto& s = reinterpret_cast<const sockaddr_in6&>(c->client);
      auto& d = reinterpret_cast<const sockaddr_in6&>(local);
      h += '\x21';
      h += '\x21';
      h += '\x00';
      h += '\x24';
      h.append(reinterpret_cast<const char*>(&s.sin6_addr), 16);
      h.append(reinterpret_cast<const char*>(&d.sin6_addr), 16);
      h.append(reinterpret_cast<const char*>(&s.sin6_port), 2);
      h.append(reinterpret_cast<const char*>(&d.sin6_port), 2);
    } else {
      h += '\x20';  // LOCAL: addresses unknown
      h += '\x00';
      h += '\x00';
      h += '\x00';
    }
    return h;
  }

  void Watch(Conn* c, int side, uint32_t events) {
    if (c->registered[side] && c->interest[side] == events) return;
    if (!c->registered[side] && events == 0) return;  // out of the set (Done) until there is something to wait for
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = &c->ends[side];
    epoll_ctl(ep_, c->registered[side] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd[side], &ev);
    c->registered[side] = true;
    c->interest[side] = events;
  }

  void OnEnd(Conn* c, int side, uint32_t e) {
    if (dead_.count(c)) return;
    if (!c->connected) {
      // The target's connect finished.
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(c->fd[1], SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) ConnectFailed(c, err);
      else Connected(c);
      return;
    }
    if (e & EPOLLERR) {
      Finish(c, true);
      return;
    }
    if (e & EPOLLOUT) {
      if (!Flush(c, side)) return;
    }
    if (e & (EPOLLIN | EPOLLHUP)) {
      if (!c->eof[side] && c->pending[1 - side].empty()) Read(c, side);
      else if (e & EPOLLHUP) Done(c, side);
    }
  }

  // Reads from `side` and writes to the other until it would block; false once the connection is gone.
  bool Read(Conn* c, int side) {
    int other = 1 - side;
    for (int i = 0; i < kReadBurst; i++) {
      ssize_t n = recv(c->fd[side], buffer_.data(), buffer_.size(), 0);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
        if (errno == EINTR) continue;
        Finish(c, true);
        return false;
      }
      if (n == 0) {
        c->eof[side] = true;
        if (c->pending[other].empty()) ShutWrite(c, other);
        return Settle(c);
      }
      c->lastActive = now_;
      Count(c, side, static_cast<uint64_t>(n));
      ssize_t w = send(c->fd[other], buffer_.data(), static_cast<size_t>(n), MSG_NOSIGNAL);
      if (w < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
          Finish(c, true);
          return false;
        }
        w = 0;
      }
      if (w < n) {
        // The other side is full: keep the rest, stop reading this side until it drains.
        c->pending[other].assign(buffer_.data() + w, static_cast<size_t>(n - w));
        Watch(c, side, c->interest[side] & ~static_cast<uint32_t>(EPOLLIN));
        Watch(c, other, c->interest[other] | EPOLLOUT);
        return true;
      }
      if (static_cast<size_t>(n) < buffer_.size()) return true;
    }
    return true;
  }

  // Writes what waits for `side`; false once the connection is gone.
  bool Flush(Conn* c, int side) {
    std::string& p = c->pending[side];
    while (!p.empty()) {
      ssize_t w = send(c->fd[side], p.data(), p.size(), MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
        if (errno == EINTR) continue;
        Finish(c, true);
        return false;
      }
      p.erase(0, static_cast<size_t>(w));
    }
    int other = 1 - side;
    Watch(c, side, c->interest[side] & ~static_cast<uint32_t>(EPOLLOUT));
    if (c->eof[other]) {
      ShutWrite(c, side);
      return Settle(c);
    }
    Watch(c, other, c->interest[other] | EPOLLIN);
    return true;
  }

  void ShutWrite(Conn* c, int side) {
    if (c->shut[side]) return;
    c->shut[side] = true;
    shutdown(c->fd[side], SHUT_WR);
  }

  // A side that sent its FIN is read no more; the connection ends once both have and every byte went through.
  bool Settle(Conn* c) {
    for (int s = 0; s < 2; s++) {
      if (c->eof[s]) Watch(c, s, c->interest[s] & ~static_cast<uint32_t>(EPOLLIN));
    }
    if (c->eof[0] && c->eof[1] && c->pending[0].empty() && c->pending[1].empty()) {
      Finish(c, false);
      return false;
    }
    return true;
  }

  // EPOLLHUP on a side that is not read now (both its directions are closed). EPOLLHUP is reported whatever
  // the interest, so the side leaves the set until a Watch wants it again (a drained other side re-reads it).
  void Done(Conn* c, int side) {
    if (!c->pending[side].empty()) {
      Finish(c, true);  // it can take no more of what waits for it
      return;
    }
    epoll_ctl(ep_, EPOLL_CTL_DEL, c->fd[side], nullptr);
    c->registered[side] = false;
    c->interest[side] = 0;
  }

  void Count(Conn* c, int side, uint64_t n) {
    listenerCounters_[c->listener->id].processedBytes += n;  // the client's bytes, both ways (as TcpFlow counts them)
    auto& t = targetCounters_[c->targetId];
    if (side == 0) t.sent += n;
    else t.received += n;
    dirty_ = true;
  }

  // reset: RST both sides (an error, a timeout, a termination); else both closed cleanly.
  void Finish(Conn* c, bool reset) {
    if (dead_.count(c)) return;
    dead_.insert(c);
    if (reset) {
      linger lg{1, 0};
      for (int s = 0; s < 2; s++) {
        if (c->fd[s] >= 0) setsockopt(c->fd[s], SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
      }
    }
    close(c->fd[0]);
    c->fd[0] = -1;
    DropTarget(c);
    Listener* l = c->listener;
    if (--activeByListener_[l->id] == 0) activeByListener_.erase(l->id);
    open_--;
    l->conns--;
    conns_.erase(c);
    gaugesChanged_ = dirty_ = true;
  }

  void FreeDead() {
    for (Conn* c : dead_) delete c;
    dead_.clear();
    for (auto it = closedListeners_.begin(); it != closedListeners_.end();) {
      if ((*it)->conns == 0) it = closedListeners_.erase(it);
      else ++it;
    }
  }

  // NLB's idle timeout: a connection with no bytes either way for idleMs is reset.
  void Sweep() {
    for (Conn* c : std::vector<Conn*>(conns_.begin(), conns_.end())) {
      if (now_ - c->lastActive >= c->table->idleMs) Finish(c, true);
    }
    FreeDead();
  }

  void Publish() {
    if (!dirty_) return;
    dirty_ = false;
    std::lock_guard<std::mutex> lock(statsMutex_);
    for (auto& [id, n] : listenerCounters_) {
      auto& s = sharedListeners_[id];
      s.newConnections += n.newConnections;
      s.processedBytes += n.processedBytes;
    }
    for (auto& [id, n] : targetCounters_) {
      auto& s = sharedTargets_[id];
      s.sent += n.sent;
      s.received += n.received;
    }
    listenerCounters_.clear();
    targetCounters_.clear();
    if (gaugesChanged_) {
      sharedActive_ = activeByListener_;
      sharedInflight_ = inflightByTarget_;
      sharedOpen_ = open_;
      gaugesChanged_ = false;
    }
  }

  int ep_ = -1;
  int wake_ = -1;
  Handle wakeHandle_{kWake};
  std::thread thread_;
  bool stopping_ = false;
  uint64_t now_ = nowMs();
  bool dirty_ = false;
  std::vector<char> buffer_;
  std::unordered_map<uint32_t, std::unique_ptr<Listener>> listeners_;
  std::vector<std::unique_ptr<Listener>> closedListeners_;
  std::unordered_set<Conn*> conns_;
  std::unordered_set<Conn*> dead_;
  // The relay thread's own counters, moved under the lock by Publish.
  std::unordered_map<uint32_t, ListenerCounters> listenerCounters_;
  std::unordered_map<uint32_t, TargetCounters> targetCounters_;

  std::mutex commandsMutex_;
  std::deque<Command> commands_;

  // Gauges, the relay thread's own, copied under the lock by Publish when they changed.
  std::unordered_map<uint32_t, uint64_t> activeByListener_;
  std::unordered_map<uint32_t, uint64_t> inflightByTarget_;
  uint64_t open_ = 0;
  bool gaugesChanged_ = false;

  std::mutex statsMutex_;
  std::unordered_map<uint32_t, ListenerCounters> sharedListeners_;
  std::unordered_map<uint32_t, TargetCounters> sharedTargets_;
  std::unordered_map<uint32_t, uint64_t> sharedActive_;
  std::unordered_map<uint32_t, uint64_t> sharedInflight_;
  uint64_t sharedOpen_ = 0;
  std::vector<Failure> failures_;
  napi_threadsafe_function notify_ = nullptr;
};


// ---- N-API: the functions native-relay.ts calls ----

Relay* relay = nullptr;
napi_threadsafe_function failuresTsfn = nullptr;

#define CHECK(call)                                                  \
  do {                                                               \
    if ((call) != napi_ok) {                                         \
      napi_throw_error(env, nullptr, "tcp-relay: " #call " failed"); \
      return nullptr;                                                \
    }                                                                \
  } while (0)

napi_value Args(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc < want) {
    napi_throw_type_error(env, nullptr, "tcp-relay: missing arguments");
    return nullptr;
  }
  napi_value ok;
  napi_get_boolean(env, true, &ok);
  return ok;
}

bool Started(napi_env env) {
  if (relay != nullptr) return true;
  napi_throw_error(env, nullptr, "tcp-relay: start() first");
  return false;
}

uint32_t U32(napi_env env, napi_value v) {
  uint32_t out = 0;
  napi_get_value_uint32(env, v, &out);
  return out;
}

bool Bool(napi_env env, napi_value obj, const char* name) {
  napi_value v;
  bool out = false;
  if (napi_get_named_property(env, obj, name, &v) == napi_ok) napi_get_value_bool(env, v, &out);
  return out;
}

napi_value Prop(napi_env env, napi_value obj, const char* name) {
  napi_value v = nullptr;
  napi_get_named_property(env, obj, name, &v);
  return v;
}

std::string Str(napi_env env, napi_value v) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) return "";
  std::string out(len, '\0');
  napi_get_value_string_utf8(env, v, out.data(), len + 1, &len);
  return out;
}

void CallNotify(napi_env env, napi_value js, void*, void*) {
  if (env == nullptr || js == nullptr) return;
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  napi_call_function(env, undefined, js, 0, nullptr, nullptr);
}

// start(onFailures): the relay thread; onFailures() is called (no arguments) when takeFailures() has some.
napi_value Start(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (Args(env, info, 1, argv) == nullptr) return nullptr;
  if (relay != nullptr) return nullptr;
  napi_value name;
  CHECK(napi_create_string_utf8(env, "shoal-tcp-relay", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_create_threadsafe_function(env, argv[0], nullptr, name, 0, 1, nullptr, nullptr, nullptr, CallNotify, &failuresTsfn));
  CHECK(napi_unref_threadsafe_function(env, failuresTsfn));  // the relay never keeps the process alive by itself
  relay = new Relay();
  relay->SetNotify(failuresTsfn);
  return nullptr;
}

const char* ErrnoName(int err) {
  switch (err) {
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EACCES: return "EACCES";
    case EINVAL: return "EINVAL";
    default: return "ERROR";
  }
}

// listen(id, host, port): a listening socket of the relay's own, bound with SO_REUSEPORT so each worker
// has one and the kernel spreads connections over them; another program on the port makes it fail.
// Throws Node's way: "listen EADDRINUSE: address already in use 127.0.0.1:80".
napi_value Listen(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (Args(env, info, 3, argv) == nullptr || !Started(env)) return nullptr;
  std::string host = Str(env, argv[1]);
  uint32_t port = U32(env, argv[2]);
  sockaddr_storage addr{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    len = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    len = sizeof(sockaddr_in6);
  } else {
    napi_throw_type_error(env, nullptr, ("listen: not an IP address: " + host).c_str());
    return nullptr;
  }
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd >= 0) {
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  }
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd, 1024) != 0) {
    int err = errno;
    if (fd >= 0) close(fd);
    std::string reason = strerror(err);
    if (!reason.empty()) reason[0] = static_cast<char>(tolower(reason[0]));  // as Node words it: "address already in use"
    std::string message = std::string("listen ") + ErrnoName(err) + ": " + reason + " " + host + ":" + std::to_string(port);
    napi_throw_error(env, ErrnoName(err), message.c_str());
    return nullptr;
  }
  relay->Post(Command{Op::Listen, U32(env, argv[0]), fd, nullptr});
  return nullptr;
}

napi_value Unlisten(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (Args(env, info, 1, argv) == nullptr || !Started(env)) return nullptr;
  relay->Post(Command{Op::Unlisten, U32(env, argv[0]), -1, nullptr});
  return nullptr;
}

// setTable(id, targets: {id, key, host, port, zone}[], options: {proxyV2, preserveClientIp, sourceSticky, crossZone, idleMs, zones: string[]})
napi_value SetTable(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (Args(env, info, 3, argv) == nullptr || !Started(env)) return nullptr;
  auto table = std::make_shared<Table>();
  uint32_t count = 0;
  CHECK(napi_get_array_length(env, argv[1], &count));
  for (uint32_t i = 0; i < count; i++) {
    napi_value t;
    CHECK(napi_get_element(env, argv[1], i, &t));
    Target x;
    x.id = U32(env, Prop(env, t, "id"));
    x.key = Str(env, Prop(env, t, "key"));
    x.zone = U32(env, Prop(env, t, "zone"));
    std::string host = Str(env, Prop(env, t, "host"));
    uint16_t port = static_cast<uint16_t>(U32(env, Prop(env, t, "port")));
    auto* v4 = reinterpret_cast<sockaddr_in*>(&x.addr);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&x.addr);
    if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
      v4->sin_family = AF_INET;
      v4->sin_port = htons(port);
      x.addrLen = sizeof(sockaddr_in);
    } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
      v6->sin6_family = AF_INET6;
      v6->sin6_port = htons(port);
      x.addrLen = sizeof(sockaddr_in6);
    } else {
      napi_throw_type_error(env, nullptr, ("tcp-relay: target host is not an IP address: " + host).c_str());
      return nullptr;
    }
    table->candidates.push_back(std::move(x));
  }
  table->proxyV2 = Bool(env, argv[2], "proxyV2");
  table->preserveClientIp = Bool(env, argv[2], "preserveClientIp");
  table->sourceSticky = Bool(env, argv[2], "sourceSticky");
  table->crossZone = Bool(env, argv[2], "crossZone");
  table->idleMs = U32(env, Prop(env, argv[2], "idleMs"));
  napi_value zones = Prop(env, argv[2], "zones");
  uint32_t zoneCount = 0;
  if (zones != nullptr && napi_get_array_length(env, zones, &zoneCount) == napi_ok) {
    for (uint32_t i = 0; i < zoneCount; i++) {
      napi_value z;
      CHECK(napi_get_element(env, zones, i, &z));
      table->zoneNames.push_back(Str(env, z));
    }
  }
  relay->Post(Command{Op::SetTable, U32(env, argv[0]), -1, table});
  return nullptr;
}

// terminate(targetId): resets every connection to the target; terminate() resets them all.
napi_value Terminate(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (!Started(env)) return nullptr;
  napi_valuetype type = napi_undefined;
  if (argc > 0) napi_typeof(env, argv[0], &type);
  if (type == napi_number) relay->Post(Command{Op::TerminateTarget, U32(env, argv[0]), -1, nullptr});
  else relay->Post(Command{Op::TerminateAll, 0, -1, nullptr});
  return nullptr;
}

// collect() -> Float64Array [open, nListeners, (id, newConnections, processedBytes, active)..., nTargets, (id, sent, received, inflight)...]
napi_value Collect(napi_env env, napi_callback_info) {
  if (!Started(env)) return nullptr;
  std::unordered_map<uint32_t, ListenerCounters> listeners;
  std::unordered_map<uint32_t, TargetCounters> targets;
  uint64_t open = 0;
  relay->Collect(listeners, targets, open);
  size_t n = 3 + listeners.size() * 4 + targets.size() * 4;
  void* data = nullptr;
  napi_value buffer, array;
  CHECK(napi_create_arraybuffer(env, n * sizeof(double), &data, &buffer));
  auto* out = static_cast<double*>(data);
  size_t i = 0;
  out[i++] = static_cast<double>(open);
  out[i++] = static_cast<double>(listeners.size());
  for (auto& [id, c] : listeners) {
    out[i++] = id;
    out[i++] = static_cast<double>(c.newConnections);
    out[i++] = static_cast<double>(c.processedBytes);
    out[i++] = static_cast<double>(c.active);
  }
  out[i++] = static_cast<double>(targets.size());
  for (auto& [id, c] : targets) {
    out[i++] = id;
    out[i++] = static_cast<double>(c.sent);
    out[i++] = static_cast<double>(c.received);
    out[i++] = static_cast<double>(c.inflight);
  }
  CHECK(napi_create_typedarray(env, napi_float64_array, n, buffer, 0, &array));
  return array;
}

// takeFailures() -> [targetKey, message][]: connects refused or failed since the last call.
napi_value TakeFailures(napi_env env, napi_callback_info) {
  if (!Started(env)) return nullptr;
  std::vector<Failure> failures = relay->TakeFailures();
  napi_value array;
  CHECK(napi_create_array_with_length(env, failures.size(), &array));
  for (size_t i = 0; i < failures.size(); i++) {
    napi_value pair, key, message;
    CHECK(napi_create_array_with_length(env, 2, &pair));
    CHECK(napi_create_string_utf8(env, failures[i].key.c_str(), failures[i].key.size(), &key));
    CHECK(napi_create_string_utf8(env, failures[i].message.c_str(), failures[i].message.size(), &message));
    CHECK(napi_set_element(env, pair, 0, key));
    CHECK(napi_set_element(env, pair, 1, message));
    CHECK(napi_set_element(env, array, static_cast<uint32_t>(i), pair));
  }
  return array;
}

// stop(): resets what is open and ends the thread (the worker is exiting).
napi_value Stop(napi_env env, napi_callback_info) {
  if (relay == nullptr) return nullptr;
  delete relay;
  relay = nullptr;
  napi_release_threadsafe_function(failuresTsfn, napi_tsfn_abort);
  failuresTsfn = nullptr;
  return nullptr;
}

}  // namespace

NAPI_MODULE_INIT() {
  const napi_property_descriptor functions[] = {
      {"start", nullptr, Start, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"listen", nullptr, Listen, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unlisten", nullptr, Unlisten, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setTable", nullptr, SetTable, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"terminate", nullptr, Terminate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"collect", nullptr, Collect, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"takeFailures", nullptr, TakeFailures, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"stop", nullptr, Stop, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  return exports;
}
