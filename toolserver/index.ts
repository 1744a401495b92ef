export { startToolServer, type ToolServer, type ToolServerOptions } from './server.js';
export { TOOLS } from './tools.js';
export { RESOURCE_KINDS } from './resources.js';
