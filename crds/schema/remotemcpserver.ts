// kagent.dev/v1alpha2 RemoteMCPServer: an MCP server reachable over HTTP that agents use as a tool source.
import { arr, bool, duration, obj, str, strEnum } from './builders.js';
import { allowedNamespaces, headersFrom, tlsConfig } from './common.js';
import { conditions, observedGeneration } from './kube.js';

export const remoteMCPServerSpec = obj(
  'RemoteMCPServerSpec defines an MCP server reachable over the network.',
  {
    description: str('What the server offers; shown to users and in tool listings.'),
    protocol: strEnum(
      'The MCP transport: STREAMABLE_HTTP (the current MCP transport) or SSE (the legacy HTTP+SSE transport).',
      ['SSE', 'STREAMABLE_HTTP'],
      { default: 'STREAMABLE_HTTP' },
    ),
    url: str('The URL of the MCP endpoint, e.g. http://toolserver.tools:8084/mcp.', { minLength: 1 }),
    headersFrom: headersFrom(
      'HTTP headers sent with every request to the server; values may come from Secrets or ConfigMaps.',
    ),
    timeout: duration('Timeout for HTTP requests to the server, as a duration such as "30s".', { default: '30s' }),
    sseReadTimeout: duration('How long to wait for a new event on an SSE stream before giving up, e.g. "5m0s".'),
    terminateOnClose: bool('Terminate the MCP session (HTTP DELETE) when the client closes it.', { default: true }),
    allowedNamespaces: allowedNamespaces('RemoteMCPServer'),
    tls: tlsConfig('MCP server (https:// URLs only)'),
  },
  ['url'],
);

export const remoteMCPServerStatus = obj('RemoteMCPServerStatus is the observed state of the server.', {
  observedGeneration,
  conditions,
  secretHash: str(
    'A hash of the TLS Secret spec.tls.caCertSecretRef names, so that agents using the server roll on a CA rotation; empty without one.',
  ),
  discoveredTools: arr(
    'The tools the server advertised when last contacted.',
    obj('A tool offered by the server.', {
      name: str('The tool name.'),
      description: str('The tool description.'),
    }),
  ),
});
