/** The config file: parse, validate, normalize. */
export { loadConfigFile, parseConfig } from './load.js';
export { ConfigError, formatIssue, type ConfigIssue } from './errors.js';
