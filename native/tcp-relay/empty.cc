// Where the relay is not built (not Linux): a module with nothing in it, so
// native-relay.ts finds no start() and network listeners use tcp/flow.ts.
#include <node_api.h>

NAPI_MODULE_INIT() { return exports; }
