// Where the native parts are not built (not Linux): a module with nothing in
// it, so native-relay.ts finds no start() (network listeners use tcp/flow.ts)
// and accept-burst.ts no acceptMore() (listeners accept one per turn).
#include <node_api.h>

NAPI_MODULE_INIT() { return exports; }
