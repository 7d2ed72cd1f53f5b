/**
 * Reading a config file: YAML (with positions) -> schema -> cross-references
 * -> normalized ShoalConfig. Every problem found is reported at once, each
 * with file:line:column, field path, and what is allowed. (source.ts holds
 * the steps; src/resources builds the same way with API-created resources.)
 */
import type { ShoalConfig } from '../model/config.js';
import { buildConfig, configDirOf, fileLocator, readConfigFile, readConfigText } from './source.js';

/** Reads and validates a config file. Relative paths in it (stateDir, imageId) resolve against its directory. */
export function loadConfigFile(path: string): ShoalConfig {
  const src = readConfigFile(path);
  return buildConfig(src.data, fileLocator(src), configDirOf(src));
}

/** Validates config text. `fileName` names it in errors and is where relative paths resolve from. */
export function parseConfig(text: string, fileName: string): ShoalConfig {
  const src = readConfigText(text, fileName);
  return buildConfig(src.data, fileLocator(src), configDirOf(src));
}
