// Reads /config/config.json and /config/agent-card.json (kagent's Secret layout) and checks them against the contract.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentCardJson, AgentConfig } from '../../contract/config.js';
import { ConfigError, validateAgentCard, validateAgentConfig } from '../../contract/validate.js';

export interface LoadedConfig {
  config: AgentConfig;
  card: AgentCardJson;
  /** Files read, for messages. */
  files: { config: string; card: string };
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(path, '', code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(err)})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, '', `invalid JSON (${(err as Error).message})`);
  }
}

/** Loads `<dir>/config.json` and `<dir>/agent-card.json` (kagent's Secret layout). */
export async function loadConfig(dir: string): Promise<LoadedConfig> {
  const files = { config: join(dir, 'config.json'), card: join(dir, 'agent-card.json') };
  const [rawConfig, rawCard] = await Promise.all([readJson(files.config), readJson(files.card)]);
  return { config: validateAgentConfig(rawConfig, files.config), card: validateAgentCard(rawCard, files.card), files };
}
