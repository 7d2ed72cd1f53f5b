/**
 * Bad configs: each must fail with the exact file:line:column and field path,
 * and a message saying what is allowed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, type ConfigIssue } from './errors.js';
import { parseConfig } from './load.js';

/** A target group every case can forward to, appended at the end so line numbers above it are unaffected. */
const TG = 'targetGroups:\n  - name: app\n    port: 80\n';

/** One listener on LB "web" forwarding to "app"; `rules` is indented YAML for the listener's rules list. */
function withRules(rules: string): string {
  return `loadBalancers:
  - name: web
    listeners:
      - port: 8080
        defaultActions: [{ type: forward, targetGroup: app }]
        rules:
${rules}
${TG}`;
}

interface Case {
  name: string;
  yaml: string;
  /** "line:column" */
  at: string;
  path: string;
  message: string;
}

const cases: Case[] = [
  // --- the file as a whole ---
  { name: 'YAML syntax error', yaml: 'api:\n  listen: [1, 2\n', at: '3:1', path: '', message: 'YAML syntax error' },
  { name: 'duplicate key', yaml: 'stateDir: a\nstateDir: b\n', at: '2:1', path: '', message: 'Map keys must be unique' },
  { name: 'top level is a list', yaml: '- a\n- b\n', at: '1:1', path: '', message: 'must be a map of fields' },
  { name: 'unknown top-level field, with suggestion', yaml: 'loadBalancer: []\n', at: '1:1', path: 'loadBalancer', message: 'unknown field "loadBalancer" (did you mean "loadBalancers"?)' },
  { name: 'api.listen out of range', yaml: 'api:\n  listen: 127.0.0.1:70000\n', at: '2:11', path: 'api.listen', message: 'must be host:port' },
  { name: 'api credentials empty', yaml: 'api:\n  credentials: []\n', at: '2:16', path: 'api.credentials', message: 'must have at least 1 credential (got a list of 0)' },
  { name: 'api on a LAN address with the default keys', yaml: 'api:\n  listen: 0.0.0.0:4566\n', at: '2:11', path: 'api.listen', message: '0.0.0.0:4566 is not a loopback address, and api.credentials are the default test/test keys' },
  { name: 'api on a LAN address with test/test among its keys', yaml: 'api:\n  listen: 192.168.1.5:4566\n  credentials: [{ accessKeyId: me, secretAccessKey: s3cret }, { accessKeyId: test, secretAccessKey: test }]\n', at: '2:11', path: 'api.listen', message: 'include the default test/test keys' },
  { name: 'unsigned AWS calls on a LAN address', yaml: 'api:\n  listen: 10.0.0.5:4566\n  credentials: [{ accessKeyId: me, secretAccessKey: s3cret }]\n  allowUnsigned: true\n', at: '4:18', path: 'api.allowUnsigned', message: 'unsigned AWS API calls are only allowed on a loopback api.listen' },
  { name: 'api.allowedHosts entry', yaml: 'api:\n  allowedHosts: [shoal.lan, "bad host"]\n', at: '2:29', path: 'api.allowedHosts[1]', message: 'must be a host name or IP, optionally with :port (e.g. shoal.lan or shoal.example.com:443) (got "bad host")' },
  { name: 'workers 0', yaml: 'dataPlane: { workers: 0 }\n', at: '1:23', path: 'dataPlane.workers', message: 'must be "auto" or an integer from 1 to 1024 (got 0)' },

  // --- load balancers and listeners ---
  {
    name: 'idle timeout 0 (the example from the brief)',
    yaml: 'loadBalancers:\n  - name: web\n    attributes:\n      idleTimeoutSeconds: 0\n',
    at: '4:27', path: 'loadBalancers[0].attributes.idleTimeoutSeconds', message: 'must be an integer from 1 to 4000 (got 0)',
  },
  {
    name: 'access log format typo',
    yaml: 'loadBalancers:\n  - name: web\n    attributes:\n      accessLogs: { enabled: true, format: jsonl }\n',
    at: '4:44', path: 'loadBalancers[0].attributes.accessLogs.format', message: 'must be one of alb, json (got "jsonl"; did you mean "json"?)',
  },
  {
    name: 'access log rotation size 0',
    yaml: 'loadBalancers:\n  - name: web\n    attributes:\n      accessLogs: { enabled: true, maxFileSizeMegabytes: 0 }\n',
    at: '4:58', path: 'loadBalancers[0].attributes.accessLogs.maxFileSizeMegabytes', message: 'must be an integer from 1 to 1048576 (got 0)',
  },
  { name: 'api.metrics unknown field', yaml: 'api:\n  metrics: { pubic: true }\n', at: '2:14', path: 'api.metrics.pubic', message: 'unknown field "pubic" (did you mean "public"?)' },
  { name: 'LB name starts with hyphen', yaml: 'loadBalancers:\n  - name: -web\n', at: '2:11', path: 'loadBalancers[0].name', message: 'letters, digits and hyphens' },
  { name: 'LB name 33 characters', yaml: `loadBalancers:\n  - name: ${'a'.repeat(33)}\n`, at: '2:11', path: 'loadBalancers[0].name', message: 'must be 1 to 32 characters' },
  { name: 'LB name internal-', yaml: 'loadBalancers:\n  - name: internal-web\n', at: '2:11', path: 'loadBalancers[0].name', message: 'not beginning with "internal-"' },
  { name: 'LB name missing', yaml: 'loadBalancers:\n  - type: application\n', at: '2:5', path: 'loadBalancers[0].name', message: 'missing required field "name"' },
  { name: 'duplicate LB names', yaml: 'loadBalancers:\n  - name: web\n  - name: web\n', at: '3:11', path: 'loadBalancers[1].name', message: 'already defined at loadBalancers[0]' },
  { name: 'type typo', yaml: 'loadBalancers:\n  - name: web\n    type: aplication\n', at: '3:11', path: 'loadBalancers[0].type', message: 'did you mean "application"?' },
  { name: 'bindAddress not an IP', yaml: 'loadBalancers:\n  - name: web\n    bindAddress: localhost\n', at: '3:18', path: 'loadBalancers[0].bindAddress', message: 'must be an IPv4 or IPv6 address' },
  { name: 'desync mode', yaml: 'loadBalancers:\n  - name: web\n    attributes: { desyncMitigationMode: strict }\n', at: '3:41', path: 'loadBalancers[0].attributes.desyncMitigationMode', message: 'must be one of monitor, defensive, strictest (got "strict"' },
  { name: 'listener port 0', yaml: withRules('          []').replace('port: 8080', 'port: 0'), at: '4:15', path: 'loadBalancers[0].listeners[0].port', message: 'must be an integer from 1 to 65535 (got 0)' },
  { name: 'HTTPS listener without certificates', yaml: withRules('          []').replace('port: 8080', 'port: 8080\n        protocol: HTTPS'), at: '5:19', path: 'loadBalancers[0].listeners[0].protocol', message: 'an HTTPS listener needs certificates' },
  { name: 'http2Enabled on a network LB', yaml: 'loadBalancers:\n  - name: net\n    type: network\n    attributes:\n      http2Enabled: true\n', at: '5:21', path: 'loadBalancers[0].attributes.http2Enabled', message: 'is an application load balancer attribute' },
  { name: 'idleTimeoutSeconds on a network LB', yaml: 'loadBalancers:\n  - name: net\n    type: network\n    attributes: { crossZoneEnabled: true, idleTimeoutSeconds: 120 }\n', at: '4:63', path: 'loadBalancers[0].attributes.idleTimeoutSeconds', message: 'is an application load balancer attribute' },
  { name: 'TCP listener on an application LB', yaml: withRules('          []').replace('port: 8080', 'port: 8080\n        protocol: TCP'), at: '5:19', path: 'loadBalancers[0].listeners[0].protocol', message: 'TCP listeners belong on a load balancer of type network' },
  {
    name: 'same port on the same address in two LBs',
    yaml: `loadBalancers:
  - name: a
    listeners: [{ port: 80, defaultActions: [{ type: forward, targetGroup: app }] }]
  - name: b
    listeners: [{ port: 80, defaultActions: [{ type: forward, targetGroup: app }] }]
${TG}`,
    at: '5:25', path: 'loadBalancers[1].listeners[0].port', message: 'port 80 on 127.0.0.1 is already used by loadBalancers[0].listeners[0]',
  },
  {
    name: 'a wildcard address clashes with a specific one',
    yaml: `loadBalancers:
  - name: a
    listeners: [{ port: 80, defaultActions: [{ type: forward, targetGroup: app }] }]
  - name: b
    bindAddress: 0.0.0.0
    listeners: [{ port: 80, defaultActions: [{ type: forward, targetGroup: app }] }]
${TG}`,
    at: '6:25', path: 'loadBalancers[1].listeners[0].port', message: 'already used by loadBalancers[0].listeners[0]',
  },
  { name: 'listener on the API port', yaml: withRules('          []').replace('port: 8080', 'port: 4566'), at: '4:15', path: 'loadBalancers[0].listeners[0].port', message: 'already used by api.listen' },
  {
    name: 'two default actions',
    yaml: withRules('          []').replace('defaultActions: [', 'defaultActions: [{ type: forward, targetGroup: app }, '),
    at: '5:25', path: 'loadBalancers[0].listeners[0].defaultActions', message: 'must have exactly 1 action',
  },
  { name: 'no default actions', yaml: 'loadBalancers:\n  - name: web\n    listeners: [{ port: 80 }]\n', at: '3:17', path: 'loadBalancers[0].listeners[0].defaultActions', message: 'missing required field "defaultActions"' },

  // --- rules and conditions ---
  {
    name: 'priority out of range',
    yaml: withRules('          - priority: 50001\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: forward, targetGroup: app }]'),
    at: '7:23', path: 'loadBalancers[0].listeners[0].rules[0].priority', message: 'must be an integer from 1 to 50000 (got 50001)',
  },
  {
    name: 'duplicate priority',
    yaml: withRules(`          - priority: 5
            conditions: [{ field: path-pattern, values: ["/a"] }]
            actions: [{ type: forward, targetGroup: app }]
          - priority: 5
            conditions: [{ field: path-pattern, values: ["/b"] }]
            actions: [{ type: forward, targetGroup: app }]`),
    at: '10:23', path: 'loadBalancers[0].listeners[0].rules[1].priority', message: 'priority 5 is already used by rules[0]',
  },
  {
    name: 'no conditions',
    yaml: withRules('          - priority: 1\n            conditions: []\n            actions: [{ type: forward, targetGroup: app }]'),
    at: '8:25', path: 'loadBalancers[0].listeners[0].rules[0].conditions', message: 'must have at least 1 condition',
  },
  {
    name: 'condition field typo',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: path-patern, values: ["/a"] }]\n            actions: [{ type: forward, targetGroup: app }]'),
    at: '8:35', path: 'loadBalancers[0].listeners[0].rules[0].conditions[0].field', message: 'did you mean "path-pattern"?',
  },
  {
    name: 'four values in one condition',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a", "/b", "/c", "/d"] }]\n            actions: [{ type: forward, targetGroup: app }]'),
    at: '8:57', path: 'loadBalancers[0].listeners[0].rules[0].conditions[0].values', message: 'must have 1 to 3 values (got a list of 4)',
  },
  {
    name: 'six values across a rule',
    yaml: withRules(`          - priority: 1
            conditions:
              - { field: path-pattern, values: ["/a", "/b", "/c"] }
              - { field: host-header, values: [a.example, b.example, c.example] }
            actions: [{ type: forward, targetGroup: app }]`),
    at: '9:15', path: 'loadBalancers[0].listeners[0].rules[0].conditions', message: 'at most 5 values across all conditions of a rule (got 6)',
  },
  {
    name: 'six wildcards across a rule',
    yaml: withRules(`          - priority: 1
            conditions:
              - { field: path-pattern, values: ["/a/*/*/*"] }
              - { field: http-header, httpHeaderName: X-A, values: ["*?*"] }
            actions: [{ type: forward, targetGroup: app }]`),
    at: '9:15', path: 'loadBalancers[0].listeners[0].rules[0].conditions', message: 'at most 5 wildcards',
  },
  {
    name: 'two path-pattern conditions in a rule',
    yaml: withRules(`          - priority: 1
            conditions:
              - { field: path-pattern, values: ["/a"] }
              - { field: path-pattern, values: ["/b"] }
            actions: [{ type: forward, targetGroup: app }]`),
    at: '10:26', path: 'loadBalancers[0].listeners[0].rules[0].conditions[1].field', message: 'only one path-pattern condition',
  },
  {
    name: 'path pattern over 128 characters',
    yaml: withRules(`          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/${'x'.repeat(128)}"] }]\n            actions: [{ type: forward, targetGroup: app }]`),
    at: '8:58', path: 'loadBalancers[0].listeners[0].rules[0].conditions[0].values[0]', message: '1 to 128 visible ASCII characters',
  },
  {
    name: 'lowercase method',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: http-request-method, values: [get] }]\n            actions: [{ type: forward, targetGroup: app }]'),
    at: '8:65', path: 'loadBalancers[0].listeners[0].rules[0].conditions[0].values[0]', message: 'uppercase letters, "-" and "_" (e.g. GET) (got "get")',
  },
  {
    name: 'bad CIDR',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: source-ip, values: ["10.0.0.0/33"] }]\n            actions: [{ type: forward, targetGroup: app }]'),
    at: '8:55', path: 'loadBalancers[0].listeners[0].rules[0].conditions[0].values[0]', message: 'CIDR notation',
  },
  {
    name: 'http-header without a name',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: http-header, values: ["1"] }]\n            actions: [{ type: forward, targetGroup: app }]'),
    at: '8:26', path: 'loadBalancers[0].listeners[0].rules[0].conditions[0].httpHeaderName', message: 'missing required field "httpHeaderName"',
  },
  {
    name: 'query-string with values instead of queryStringValues',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: query-string, values: ["a"] }]\n            actions: [{ type: forward, targetGroup: app }]'),
    at: '8:49', path: 'loadBalancers[0].listeners[0].rules[0].conditions[0].values', message: 'unknown field "values"; allowed fields: field, queryStringValues',
  },

  // --- actions ---
  {
    name: 'forward to an undefined target group (reported at the reference)',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: forward, targetGroup: ap }]'),
    at: '9:53', path: 'loadBalancers[0].listeners[0].rules[0].actions[0].targetGroup', message: 'target group "ap" is not defined (did you mean "app"?); defined target groups: app',
  },
  {
    name: 'forward with both targetGroup and forwardConfig',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: forward, targetGroup: app, forwardConfig: { targetGroups: [{ targetGroup: app }] } }]'),
    at: '9:23', path: 'loadBalancers[0].listeners[0].rules[0].actions[0]', message: 'exactly one of targetGroup',
  },
  {
    name: 'six weighted target groups',
    yaml: withRules(`          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: forward, forwardConfig: { targetGroups: [${Array(6).fill('{ targetGroup: app }').join(', ')}] } }]`),
    at: '9:71', path: 'loadBalancers[0].listeners[0].rules[0].actions[0].forwardConfig.targetGroups', message: 'must have 1 to 5 target groups (got a list of 6)',
  },
  {
    name: 'all weights zero',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: forward, forwardConfig: { targetGroups: [{ targetGroup: app, weight: 0 }] } }]'),
    at: '9:71', path: 'loadBalancers[0].listeners[0].rules[0].actions[0].forwardConfig.targetGroups', message: 'at least one target group must have a weight above 0',
  },
  {
    name: 'weight 1000',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: forward, forwardConfig: { targetGroups: [{ targetGroup: app, weight: 1000 }] } }]'),
    at: '9:100', path: 'loadBalancers[0].listeners[0].rules[0].actions[0].forwardConfig.targetGroups[0].weight', message: 'must be an integer from 0 to 999 (got 1000)',
  },
  {
    name: 'action type typo',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: fixed-respons }]'),
    at: '9:31', path: 'loadBalancers[0].listeners[0].rules[0].actions[0].type', message: 'must be one of forward, redirect, fixed-response (got "fixed-respons"; did you mean "fixed-response"?)',
  },
  {
    name: 'redirect to itself',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: redirect, redirectConfig: { query: "x=1", statusCode: HTTP_301 } }]'),
    at: '9:57', path: 'loadBalancers[0].listeners[0].rules[0].actions[0].redirectConfig', message: 'would redirect to the same URL',
  },
  {
    name: 'redirect path without leading slash',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: redirect, redirectConfig: { path: new, statusCode: HTTP_301 } }]'),
    at: '9:65', path: 'loadBalancers[0].listeners[0].rules[0].actions[0].redirectConfig.path', message: 'must start with "/"',
  },
  {
    name: 'redirect without status code',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: redirect, redirectConfig: { path: /new } }]'),
    at: '9:57', path: 'loadBalancers[0].listeners[0].rules[0].actions[0].redirectConfig.statusCode', message: 'missing required field "statusCode"; it must be one of HTTP_301, HTTP_302',
  },
  {
    name: 'fixed-response 302',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: fixed-response, fixedResponseConfig: { statusCode: 302 } }]'),
    at: '9:82', path: 'loadBalancers[0].listeners[0].rules[0].actions[0].fixedResponseConfig.statusCode', message: 'must be a 2XX, 4XX or 5XX HTTP status code, e.g. "404" (got 302)',
  },
  {
    name: 'fixed-response body over 1024 bytes (counted as UTF-8)',
    yaml: withRules(`          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "200", messageBody: "${'é'.repeat(513)}" } }]`),
    at: '9:102', path: 'loadBalancers[0].listeners[0].rules[0].actions[0].fixedResponseConfig.messageBody', message: 'must be at most 1024 bytes (got 1026 bytes)',
  },
  {
    name: 'fixed-response content type',
    yaml: withRules('          - priority: 1\n            conditions: [{ field: path-pattern, values: ["/a"] }]\n            actions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "200", contentType: text/xml } }]'),
    at: '9:102', path: 'loadBalancers[0].listeners[0].rules[0].actions[0].fixedResponseConfig.contentType', message: 'must be one of text/plain, text/css, text/html, application/javascript, application/json',
  },

  // --- target groups ---
  { name: 'target group port missing (parent line)', yaml: 'targetGroups:\n  - name: app\n    protocol: HTTP\n', at: '2:5', path: 'targetGroups[0].port', message: 'missing required field "port"; it must be an integer from 1 to 65535' },
  { name: 'misspelt health check field', yaml: `${TG}    healthCheck:\n      intervalSecond: 10\n`, at: '5:7', path: 'targetGroups[0].healthCheck.intervalSecond', message: 'unknown field "intervalSecond" (did you mean "intervalSeconds"?)' },
  { name: 'health check interval 4', yaml: `${TG}    healthCheck: { intervalSeconds: 4 }\n`, at: '4:37', path: 'targetGroups[0].healthCheck.intervalSeconds', message: 'must be an integer from 5 to 300 (got 4)' },
  { name: 'health check timeout not below interval', yaml: `${TG}    healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 }\n`, at: '4:56', path: 'targetGroups[0].healthCheck.timeoutSeconds', message: 'must be smaller than intervalSeconds' },
  { name: 'health check timeout default vs short interval', yaml: `${TG}    healthCheck: { intervalSeconds: 5 }\n`, at: '4:18', path: 'targetGroups[0].healthCheck.timeoutSeconds', message: 'timeoutSeconds 5, intervalSeconds 5' },
  { name: 'health check path', yaml: `${TG}    healthCheck: { path: health }\n`, at: '4:26', path: 'targetGroups[0].healthCheck.path', message: 'must start with "/"' },
  { name: 'matcher code 500', yaml: `${TG}    healthCheck: { matcher: "200,500" }\n`, at: '4:29', path: 'targetGroups[0].healthCheck.matcher', message: 'HTTP codes from 200 to 499' },
  { name: 'matcher httpCode range reversed', yaml: `${TG}    healthCheck: { matcher: { httpCode: "299-200" } }\n`, at: '4:29', path: 'targetGroups[0].healthCheck.matcher', message: 'HTTP codes from 200 to 499' },
  { name: 'healthy threshold 11', yaml: `${TG}    healthCheck: { healthyThresholdCount: 11 }\n`, at: '4:43', path: 'targetGroups[0].healthCheck.healthyThresholdCount', message: 'must be an integer from 2 to 10 (got 11)' },
  { name: 'health check port', yaml: `${TG}    healthCheck: { port: traffic }\n`, at: '4:26', path: 'targetGroups[0].healthCheck.port', message: 'must be "traffic-port" or an integer from 1 to 65535' },
  { name: 'slow start 10', yaml: `${TG}    attributes: { slowStartSeconds: 10 }\n`, at: '4:37', path: 'targetGroups[0].attributes.slowStartSeconds', message: 'must be 0 (off) or an integer from 30 to 900 (got 10)' },
  { name: 'slow start with least outstanding requests', yaml: `${TG}    attributes: { algorithm: least_outstanding_requests, slowStartSeconds: 30 }\n`, at: '4:76', path: 'targetGroups[0].attributes.slowStartSeconds', message: 'cannot be used with algorithm least_outstanding_requests (ALB allows slow start with round_robin only); set slowStartSeconds: 0 or algorithm: round_robin (got 30)' },
  { name: 'slow start with weighted random', yaml: `${TG}    attributes: { algorithm: weighted_random, slowStartSeconds: 30 }\n`, at: '4:65', path: 'targetGroups[0].attributes.slowStartSeconds', message: 'cannot be used with algorithm weighted_random (ALB allows slow start with round_robin only); set slowStartSeconds: 0 or algorithm: round_robin (got 30)' },
  { name: 'anomaly mitigation without weighted random', yaml: `${TG}    attributes: { anomalyMitigation: true }\n`, at: '4:38', path: 'targetGroups[0].attributes.anomalyMitigation', message: 'needs algorithm weighted_random (got algorithm round_robin)' },
  { name: 'app_cookie stickiness without a cookie name', yaml: `${TG}    attributes: { stickiness: { enabled: true, type: app_cookie } }\n`, at: '4:31', path: 'targetGroups[0].attributes.stickiness.cookieName', message: 'is required with type app_cookie: the name of the cookie your application sets' },
  { name: 'a reserved app cookie name', yaml: `${TG}    attributes: { stickiness: { type: app_cookie, cookieName: AWSALBAPP } }\n`, at: '4:63', path: 'targetGroups[0].attributes.stickiness.cookieName', message: 'must be a cookie name of 1 to 255 token characters, not starting with AWSALB, AWSALBAPP or AWSALBTG (got "AWSALBAPP")' },
  { name: 'source_ip stickiness on an HTTP group', yaml: `${TG}    attributes: { stickiness: { enabled: true, type: source_ip } }\n`, at: '4:54', path: 'targetGroups[0].attributes.stickiness.type', message: 'source_ip stickiness is for network load balancer target groups (TCP, UDP, TLS); HTTP groups use lb_cookie or app_cookie' },
  { name: 'stickiness duration out of range', yaml: `${TG}    attributes: { stickiness: { durationSeconds: 0 } }\n`, at: '4:50', path: 'targetGroups[0].attributes.stickiness.durationSeconds', message: 'must be an integer from 1 to 604800 (got 0)' },
  { name: 'deregistration delay 3601', yaml: `${TG}    attributes: { deregistrationDelaySeconds: 3601 }\n`, at: '4:47', path: 'targetGroups[0].attributes.deregistrationDelaySeconds', message: 'must be an integer from 0 to 3600 (got 3601)' },
  { name: 'algorithm prefix', yaml: `${TG}    attributes: { algorithm: least_outstanding }\n`, at: '4:30', path: 'targetGroups[0].attributes.algorithm', message: 'did you mean "least_outstanding_requests"?' },
  { name: 'target id not an IP', yaml: `${TG}    targets: [{ id: localhost }]\n`, at: '4:21', path: 'targetGroups[0].targets[0].id', message: 'must be an IPv4 or IPv6 address (got "localhost")' },
  { name: 'duplicate target', yaml: `${TG}    targets: [{ id: 10.0.0.1 }, { id: 10.0.0.1, port: 80 }]\n`, at: '4:33', path: 'targetGroups[0].targets[1]', message: 'duplicates targets[0] (10.0.0.1:80)' },
  { name: 'target group protocol typo', yaml: `${TG}    protocol: TPC\n`, at: '4:15', path: 'targetGroups[0].protocol', message: 'must be one of HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP (got "TPC"' },
  { name: 'numeric string port', yaml: 'targetGroups:\n  - name: app\n    port: "80"\n', at: '3:11', path: 'targetGroups[0].port', message: 'must be an integer from 1 to 65535 (got "80")' },

  // --- launch templates and Auto Scaling groups ---
  { name: 'launch template without imageId', yaml: 'launchTemplates:\n  - name: hello\n    versions: [{ instanceType: t3.micro }]\n', at: '3:16', path: 'launchTemplates[0].versions[0].imageId', message: 'missing required field "imageId"' },
  { name: 'malformed AMI id', yaml: 'launchTemplates:\n  - name: hello\n    versions: [{ imageId: ami-xyz }]\n', at: '3:27', path: 'launchTemplates[0].versions[0].imageId', message: 'must be an AMI id' },
  { name: 'no versions', yaml: 'launchTemplates:\n  - name: hello\n    versions: []\n', at: '3:15', path: 'launchTemplates[0].versions', message: 'must have at least 1 version (got a list of 0)' },
  { name: 'default version that does not exist', yaml: 'launchTemplates:\n  - name: hello\n    versions: [{ imageId: ./a }]\n    defaultVersion: 2\n', at: '4:21', path: 'launchTemplates[0].defaultVersion', message: 'must be a version that exists: 1 to 1 (got 2)' },
  { name: 'environment variable name', yaml: 'launchTemplates:\n  - name: hello\n    versions:\n      - imageId: ./a\n        environment: { 1PORT: "80" }\n', at: '5:24', path: 'launchTemplates[0].versions[0].environment["1PORT"]', message: 'environment variable names must be letters' },
  { name: 'environment value a map', yaml: 'launchTemplates:\n  - name: hello\n    versions:\n      - imageId: ./a\n        environment: { PORT: { a: 1 } }\n', at: '5:30', path: 'launchTemplates[0].versions[0].environment.PORT', message: 'must be text (got a map)' },
  { name: 'reserved tag key', yaml: 'launchTemplates:\n  - name: hello\n    versions:\n      - imageId: ./a\n        tags: { "aws:x": y }\n', at: '5:17', path: 'launchTemplates[0].versions[0].tags["aws:x"]', message: 'must not begin with "aws:"' },
  { name: 'malformed container image', yaml: 'launchTemplates:\n  - name: hello\n    versions: [{ imageId: "docker:Shoal/Hello:1" }]\n', at: '3:27', path: 'launchTemplates[0].versions[0].imageId', message: 'a container image (docker:repo/name:tag)' },
  { name: 'instance type', yaml: 'launchTemplates:\n  - name: hello\n    versions: [{ imageId: ./a, instanceType: big }]\n', at: '3:46', path: 'launchTemplates[0].versions[0].instanceType', message: 'must be an instance type such as t3.micro' },
 
  // --- zones ---
  { name: 'zone docker host scheme', yaml: 'zones:\n  - name: zone-a\n    docker: { host: /var/run/docker.sock }\n', at: '3:21', path: 'zones[0].docker.host', message: 'must be unix:///path/to/docker.sock, tcp://host:port or ssh://user@host[:port]' },
  { name: 'zone docker tls on a socket', yaml: 'zones:\n  - name: zone-a\n    docker:\n      host: unix:///run/docker.sock\n      tls: { ca: ca.pem, cert: c.pem, key: k.pem }\n', at: '5:12', path: 'zones[0].docker.tls', message: 'tls is for tcp:// engines' },
  { name: 'zone docker network', yaml: 'zones:\n  - name: zone-a\n    docker: { host: "tcp://b:2376", network: overlay }\n', at: '3:46', path: 'zones[0].docker.network', message: 'must be one of host, bridge' },
  { name: 'zone docker host networking on a remote engine', yaml: 'zones:\n  - name: zone-a\n    docker: { host: "tcp://b:2376", network: host }\n', at: '3:46', path: 'zones[0].docker.network', message: 'host networking needs the engine on this machine' },
  { name: 'zone docker unknown field', yaml: 'zones:\n  - name: zone-a\n    docker: { hots: "tcp://b:2376" }\n', at: '3:15', path: 'zones[0].docker.hots', message: 'unknown field "hots" (did you mean "host"?)' },
  { name: 'duplicate zone', yaml: 'zones:\n  - name: zone-a\n  - name: zone-a\n', at: '3:11', path: 'zones[1].name', message: 'zone "zone-a"' },
];

/** An ASG on launch template "tmpl" and target group "app"; `extra` is appended to the group's fields. */
function asg(extra: string, lt = 'launchTemplate: { name: tmpl }'): string {
  return `${TG}launchTemplates:
  - name: tmpl
    versions: [{ imageId: ./a }]
autoScalingGroups:
  - name: g
    ${lt}
    minSize: 1
    maxSize: 3
    availabilityZones: [zone-a]
${extra}`;
}

cases.push(
  { name: 'ASG min above max', yaml: asg('').replace('maxSize: 3', 'maxSize: 0'), at: '10:14', path: 'autoScalingGroups[0].minSize', message: 'must not be greater than maxSize (minSize 1, maxSize 0)' },
  { name: 'ASG desired above max', yaml: asg('    desiredCapacity: 4\n'), at: '13:22', path: 'autoScalingGroups[0].desiredCapacity', message: 'must be from minSize to maxSize: 1 to 3 (got 4)' },
  { name: 'ASG negative min', yaml: asg('').replace('minSize: 1', 'minSize: -1'), at: '10:14', path: 'autoScalingGroups[0].minSize', message: 'must be an integer ≥ 0 (got -1)' },
  { name: 'ASG without maxSize', yaml: asg('').replace('    maxSize: 3\n', ''), at: '8:5', path: 'autoScalingGroups[0].maxSize', message: 'missing required field "maxSize"' },
  { name: 'ASG unknown launch template', yaml: asg('', 'launchTemplate: { name: tmpx }'), at: '9:29', path: 'autoScalingGroups[0].launchTemplate.name', message: 'launch template "tmpx" is not defined (did you mean "tmpl"?); defined launch templates: tmpl' },
  { name: 'ASG launch template version beyond the last', yaml: asg('', 'launchTemplate: { name: tmpl, version: 2 }'), at: '9:44', path: 'autoScalingGroups[0].launchTemplate.version', message: 'has versions 1 to 1 (got 2)' },
  { name: 'ASG launch template version keyword', yaml: asg('', 'launchTemplate: { name: tmpl, version: latest }'), at: '9:44', path: 'autoScalingGroups[0].launchTemplate.version', message: 'must be $Latest, $Default or a version number' },
  { name: 'ASG unknown target group', yaml: asg('    targetGroups: [app, web]\n'), at: '13:25', path: 'autoScalingGroups[0].targetGroups[1]', message: 'target group "web" is not defined' },
  { name: 'ASG no zones', yaml: asg('').replace('[zone-a]', '[]'), at: '12:24', path: 'autoScalingGroups[0].availabilityZones', message: 'must have at least 1 zone' },
  { name: 'ASG health check type', yaml: asg('    healthCheckType: elb\n'), at: '13:22', path: 'autoScalingGroups[0].healthCheckType', message: 'must be one of EC2, ELB (got "elb"; did you mean "ELB"?)' },
  { name: 'ASG termination policy', yaml: asg('    terminationPolicies: [Oldest]\n'), at: '13:27', path: 'autoScalingGroups[0].terminationPolicies[0]', message: 'must be one of Default, AllocationStrategy' },
  { name: 'ASG protection not a boolean', yaml: asg('    newInstancesProtectedFromScaleIn: "yes"\n'), at: '13:39', path: 'autoScalingGroups[0].newInstancesProtectedFromScaleIn', message: 'must be true or false (got "yes")' },
  { name: 'ASG scaling policy type', yaml: asg('    scalingPolicies: [{ name: p, policyType: TargetTracking }]\n'), at: '13:46', path: 'autoScalingGroups[0].scalingPolicies[0].policyType', message: 'did you mean "TargetTrackingScaling"?' },
  { name: 'ASG lifecycle hook transition', yaml: asg('    lifecycleHooks: [{ name: h, lifecycleTransition: launching }]\n'), at: '13:54', path: 'autoScalingGroups[0].lifecycleHooks[0].lifecycleTransition', message: 'must be one of autoscaling:EC2_INSTANCE_LAUNCHING, autoscaling:EC2_INSTANCE_TERMINATING' },
  { name: 'ASG lifecycle hook heartbeat below 30 s', yaml: asg('    lifecycleHooks: [{ name: h, lifecycleTransition: autoscaling:EC2_INSTANCE_LAUNCHING, heartbeatTimeout: 5 }]\n'), at: '13:108', path: 'autoScalingGroups[0].lifecycleHooks[0].heartbeatTimeout', message: 'must be an integer from 30 to 7200 (got 5)' },
  { name: 'ASG lifecycle hook default result', yaml: asg('    lifecycleHooks: [{ name: h, lifecycleTransition: autoscaling:EC2_INSTANCE_TERMINATING, defaultResult: continue }]\n'), at: '13:107', path: 'autoScalingGroups[0].lifecycleHooks[0].defaultResult', message: 'must be one of CONTINUE, ABANDON' },
  { name: 'ASG stop timeout', yaml: asg('    instanceStopTimeoutSeconds: -1\n'), at: '13:33', path: 'autoScalingGroups[0].instanceStopTimeoutSeconds', message: 'must be an integer from 0 to 3600 (got -1)' },
  { name: 'ASG warm pool Hibernated', yaml: asg('    warmPool: { poolState: Hibernated }\n'), at: '13:28', path: 'autoScalingGroups[0].warmPool.poolState', message: 'must be one of Stopped, Running' },
  { name: 'ASG warm pool negative min', yaml: asg('    warmPool: { minSize: -1 }\n'), at: '13:26', path: 'autoScalingGroups[0].warmPool.minSize', message: 'must be an integer ≥ 0 (got -1)' },
  { name: 'ASG warm pool prepared capacity below min', yaml: asg('    warmPool: { minSize: 2, maxGroupPreparedCapacity: 1 }\n'), at: '13:55', path: 'autoScalingGroups[0].warmPool.maxGroupPreparedCapacity', message: 'must be at least minSize (2) (got 1)' },
  { name: 'ASG warm pool reuse not a boolean', yaml: asg('    warmPool: { instanceReusePolicy: { reuseOnScaleIn: "yes" } }\n'), at: '13:56', path: 'autoScalingGroups[0].warmPool.instanceReusePolicy.reuseOnScaleIn', message: 'must be true or false (got "yes")' },
  { name: 'ASG duplicate scaling policy names', yaml: asg('    scalingPolicies: [{ name: p, policyType: SimpleScaling }, { name: p }]\n'), at: '13:71', path: 'autoScalingGroups[0].scalingPolicies[1].name', message: 'scaling policy "p" is already scalingPolicies[0]' },
);

function issuesOf(yaml: string): ConfigIssue[] {
  try {
    parseConfig(yaml, 'shoal.yaml');
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.code, 'ValidationError');
    return err.issues;
  }
  assert.fail('expected the config to be rejected');
}

describe('parseConfig rejects bad configs with file:line:column, field path and what is allowed', () => {
  for (const c of cases) {
    it(c.name, () => {
      const issues = issuesOf(c.yaml);
      const match = issues.find((i) => i.path === c.path && i.message.includes(c.message));
      const got = issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`).join('\n');
      assert.ok(match, `no issue at ${c.path} containing ${JSON.stringify(c.message)}; got:\n${got}`);
      assert.equal(`${match.line}:${match.column}`, c.at, `position of ${c.path}; got:\n${got}`);
      assert.equal(match.file, 'shoal.yaml');
    });
  }
});

describe('ConfigError', () => {
  it('formats each issue as file:line:column: path: message, one per line', () => {
    const yaml = 'loadBalancers:\n  - name: web\n    attributes:\n      idleTimeoutSeconds: 0\n';
    try {
      parseConfig(yaml, 'shoal.yaml');
      assert.fail('expected ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.message, 'shoal.yaml:4:27: loadBalancers[0].attributes.idleTimeoutSeconds: must be an integer from 1 to 4000 (got 0)');
    }
  });

  it('reports every issue at once, in file order, across schema and reference checks', () => {
    const yaml = `loadBalancers:
  - name: web
    listeners:
      - port: 8080
        defaultActions: [{ type: forward, targetGroup: nope }]
    attributes: { idleTimeoutSeconds: 0 }
targetGroups:
  - name: app
    port: 80
    healthCheck: { intervalSecond: 10, matcher: "600" }
autoScalingGroups:
  - name: g
    launchTemplate: { name: missing }
    minSize: 3
    maxSize: 1
    availabilityZones: [a]
    healthCheckType: elb
`;
    try {
      parseConfig(yaml, 'conf/shoal.yaml');
      assert.fail('expected ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(err.message.split('\n').map((l) => l.split(': ').slice(0, 2).join(': ')), [
        'conf/shoal.yaml:5:56: loadBalancers[0].listeners[0].defaultActions[0].targetGroup',
        'conf/shoal.yaml:6:39: loadBalancers[0].attributes.idleTimeoutSeconds',
        'conf/shoal.yaml:10:20: targetGroups[0].healthCheck.intervalSecond',
        'conf/shoal.yaml:10:49: targetGroups[0].healthCheck.matcher',
        'conf/shoal.yaml:13:29: autoScalingGroups[0].launchTemplate.name',
        'conf/shoal.yaml:14:14: autoScalingGroups[0].minSize',
        'conf/shoal.yaml:17:22: autoScalingGroups[0].healthCheckType',
      ]);
    }
  });

  it('follows YAML aliases to report positions', () => {
    const yaml = 'x-hc: &hc { intervalSeconds: 1 }\n';
    const issues = issuesOf(`${yaml}${TG}    healthCheck: *hc\n`);
    assert.ok(issues.some((i) => i.path === '["x-hc"]' && i.message.startsWith('unknown field')));
    const hc = issues.find((i) => i.path === 'targetGroups[0].healthCheck.intervalSeconds');
    assert.ok(hc);
    assert.equal(`${hc.line}:${hc.column}`, '1:30');
  });
});
