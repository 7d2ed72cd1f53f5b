/**
 * The network load balancer suites again on the JavaScript byte path
 * (tcp/flow.ts), which serves TCP listeners where the native relay is not
 * built (not Linux, or SHOAL_TCP_RELAY=js). Each test file runs in its own
 * process, so the setting holds for everything these imports start.
 */
process.env.SHOAL_TCP_RELAY = 'js';
await import('./nlb.test.js');
await import('./nlb-bytes.test.js');
