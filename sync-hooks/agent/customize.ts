// Placeholder signature; the implementation follows (engineer B1).
import type { CustomizeRequest, CustomizeResponse } from '../protocol.js';

export function customizeAgent(req: CustomizeRequest): CustomizeResponse {
  void req;
  return { relatedResources: [] };
}
