// The names both ends of per-agent tool identity agree on: the sync hook mounts a projected ServiceAccount token for
// each audience an MCP server asks for (by this annotation), the runtime sends it as a bearer token, and a server
// such as the tool server checks it with TokenReview for its audience.

/** On a RemoteMCPServer (or an MCP Service): the audience of the ServiceAccount token the agent presents to it. */
export const TOKEN_AUDIENCE_ANNOTATION = 'metagent.dev/service-account-token-audience';
/** The tool server's audience unless it is started with another (`metagent toolserver --audience`). */
export const DEFAULT_TOOLSERVER_AUDIENCE = 'metagent-toolserver';
/** Where agent pods find their projected tokens, one file per audience (named for the audience). */
export const TOKEN_MOUNT_DIR = '/var/run/secrets/metagent.dev/serviceaccount';
