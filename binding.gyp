{
  "targets": [
    {
      "target_name": "tcp_relay",
      "conditions": [
        ["OS=='linux'", {
          "sources": ["native/tcp-relay/relay.cc"],
          "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
          "cflags_cc!": ["-fno-exceptions", "-std=gnu++14", "-std=gnu++17"],
          "defines": ["NAPI_VERSION=8"]
        }, {
          "sources": ["native/tcp-relay/empty.cc"]
        }]
      ]
    },
    {
      "target_name": "net_accept",
      "conditions": [
        ["OS=='linux'", {
          "sources": ["native/accept/accept.cc"],
          "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
          "cflags_cc!": ["-std=gnu++14", "-std=gnu++17"],
          "defines": ["NAPI_VERSION=8"]
        }, {
          "sources": ["native/tcp-relay/empty.cc"]
        }]
      ]
    }
  ]
}
