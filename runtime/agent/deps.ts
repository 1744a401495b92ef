// What the executor is built from, and the per-task state its parts share. Kept apart from executor.ts so the parts
// (task-run.ts, tool-dispatch.ts, ...) can name these types without importing the executor back.
import type { ExecutionEventBus } from '@a2a-js/sdk/server';
import type { Logger } from 'pino';
import type { AgentConfig } from '../../contract/config.js';
import type { ChatModel } from '../models/types.js';
import type { ConversationStore } from '../store/index.js';
import type { Telemetry } from '../telemetry/index.js';
import type { RuntimeSettings } from '../settings.js';
import type { Tool, Toolset } from '../tools/types.js';
import type { Memory } from '../memory/index.js';
import type { Shares } from '../share/index.js';
import type { CompactionSettings } from './compaction.js';

export interface ExecutorDeps {
  config: AgentConfig;
  /** Undefined for a BYO agent (model: null): every task fails with a clear message. */
  model: ChatModel | undefined;
  toolsets: Toolset[];
  conversations: ConversationStore;
  telemetry: Telemetry;
  settings: RuntimeSettings;
  log: Logger;
  agentName: string;
  /** context_config.compaction, with its summariser model (undefined: compacted messages are dropped). */
  compaction?: { settings: CompactionSettings; summarizer?: ChatModel };
  /** kagent's long-term memory (config.json `memory`): save_memory and load_memory for each task's caller. */
  memory?: Memory;
  /** kagent's skills (KAGENT_SKILLS_FOLDER): the `skills` and `read_file` tools, the same for every task. */
  skills?: Tool[];
  /** kagent's share links (config.json `share_tools`): the three share tools for each task's caller. */
  shares?: Shares;
}

/** A task being executed. */
export interface Running {
  controller: AbortController;
  /** When the task's model calls must be over (epoch ms; METAGENT_TASK_TIMEOUT_SECONDS after the task started). */
  deadlineAt: number;
  /** Set once a final (or interrupted) status was published; later events are dropped. */
  settled: boolean;
  bus: ExecutionEventBus;
}
