// Why an Agent cannot be translated right now. The reason becomes the Accepted condition's reason, the message names
// the object (never a secret value), and the sync hook keeps the last good children (DESIGN.md decision 3).

export type AcceptedFalseReason =
  | 'ModelConfigNotFound'
  /** The ModelConfig's controller has not published its view (resolve/view.ts) for its current generation. */
  | 'ModelConfigNotReady'
  /** Same for a RemoteMCPServer. */
  | 'ToolServerNotReady'
  | 'SecretNotFound'
  | 'ConfigMapNotFound'
  | 'ToolServerNotFound'
  | 'AgentNotFound'
  | 'CrossNamespaceNotAllowed'
  | 'InvalidSpec';

export class ResolutionError extends Error {
  constructor(
    readonly reason: AcceptedFalseReason,
    message: string,
  ) {
    super(message);
    this.name = 'ResolutionError';
  }
}

export function isResolutionError(e: unknown): e is ResolutionError {
  return e instanceof ResolutionError;
}
