// kagent.dev/v1alpha2 Agent (kagent release/v0.10.x): a Declarative agent run by the agent runtime, or a BYO
// (bring your own) agent image.
import { arr, bool, int, map, obj, str, strEnum } from './builders.js';
import { allowedNamespaces, headersFrom, valueSource } from './common.js';
import {
  affinity,
  conditions,
  container,
  described,
  envFromSource,
  envVar,
  localObjectReference,
  observedGeneration,
  podSecurityContext,
  resourceRequirements,
  securityContext,
  toleration,
  volume,
  volumeMount,
} from './kube.js';

export const AGENT_TYPES = ['Declarative', 'BYO'] as const;
/**
 * kagent's enum is McpServer;Agent. kagent's own translator test data (the conformance inputs) also writes
 * `MCPServer`, which kagent's translator accepts because it looks at which sub-object is set; we accept it as an
 * alias so that that YAML applies unchanged.
 */
export const AGENT_RUNTIMES = ['python', 'go'] as const;
export const TOOL_TYPES = ['McpServer', 'MCPServer', 'Agent'] as const;

const sharedDeployment = {
  replicas: int('Number of pods. When unset the Deployment has no replicas field, so an HPA can own it.', {
    minimum: 0,
  }),
  imagePullSecrets: arr('Secrets for pulling the image.', localObjectReference('An image pull Secret.')),
  volumes: arr('Extra volumes for the pod.', volume),
  volumeMounts: arr('Extra volume mounts for the agent container.', volumeMount),
  labels: map('Labels added to the pod template.'),
  annotations: map('Annotations added to the pod template.'),
  env: arr('Extra environment variables for the agent container.', envVar),
  envFrom: arr(
    'ConfigMaps and Secrets whose keys become environment variables of the agent container; env wins on a duplicate.',
    envFromSource,
  ),
  deploymentAnnotations: map(
    "Annotations of the agent's Deployment object itself (annotations apply to the pods); they win over annotations inherited from the Agent.",
  ),
  imagePullPolicy: strEnum('When to pull the image.', ['Always', 'IfNotPresent', 'Never']),
  resources: described(resourceRequirements, 'Compute resources of the agent container.'),
  tolerations: arr('Tolerations of the pod.', toleration),
  affinity,
  nodeSelector: map('Node labels the pod must be scheduled on.'),
  securityContext: described(securityContext, 'Security context of the agent container.'),
  podSecurityContext: described(podSecurityContext, 'Security context of the pod.'),
  serviceAccountName: str(
    'Run the pod as this existing ServiceAccount; no ServiceAccount is created. Mutually exclusive with serviceAccountConfig.',
  ),
  serviceAccountConfig: obj(
    'Labels and annotations for the ServiceAccount created for the agent. Mutually exclusive with serviceAccountName.',
    {
      labels: map('Labels of the created ServiceAccount.'),
      annotations: map('Annotations of the created ServiceAccount (e.g. for workload identity).'),
    },
  ),
  extraContainers: arr('Additional containers (sidecars) in the agent pod.', container),
};

const typedReference = (what: string) => ({
  kind: str(`Kind of the ${what}.`),
  apiGroup: str(`API group of the ${what}; empty for the core group.`),
  name: str(`Name of the ${what}.`, { minLength: 1 }),
  namespace: str(`Namespace of the ${what}; defaults to the Agent's namespace (the target must allow it).`),
});

const mcpServerTool = obj(
  'Tools from an MCP server: a RemoteMCPServer (kind RemoteMCPServer, group kagent.dev), a Service (kind Service, ' +
    'core group) annotated with its MCP port and path, or a kmcp MCPServer.',
  {
    ...typedReference('MCP server object'),
    // kagent's limits, which also keep the CRD's requireApproval CEL rule within the API server's cost budget.
    toolNames: arr('The tools to use from the server; all tools when empty.', str('A tool name.'), { maxItems: 50 }),
    requireApproval: arr(
      'Tools that pause for human approval before running. Each must also be in toolNames.',
      str('A tool name.'),
      { maxItems: 50 },
    ),
    allowedHeaders: arr(
      'Headers of the incoming A2A request that are forwarded to MCP tool calls (case-insensitive).',
      str('A header name.'),
    ),
  },
  ['name'],
);

const tool = obj('A tool of the agent: the tools of an MCP server, or another Agent called over A2A.', {
  type: strEnum('The tool kind; its sub-object (mcpServer or agent) must be set and the other must not.', TOOL_TYPES),
  mcpServer: mcpServerTool,
  agent: obj('Another Agent used as a tool over A2A.', typedReference('Agent'), ['name']),
  headersFrom: headersFrom(
    "Headers sent to the tool, resolved from Secrets or ConfigMaps in the Agent's namespace; they override the tool's own headers.",
  ),
  isolateSessions: bool(
    'Agent tools only: start a new session of the called agent for every call instead of one shared session.',
  ),
});

const a2aSkill = obj(
  'A skill advertised in the agent card.',
  {
    id: str('Unique identifier of the skill.'),
    name: str('Human-readable name of the skill.'),
    description: str('What the skill does.'),
    tags: arr('Keywords describing the skill.', str('A tag.')),
    examples: arr('Example prompts for the skill.', str('An example.')),
    inputModes: arr('Media types the skill accepts.', str('A media type.')),
    outputModes: arr('Media types the skill produces.', str('A media type.')),
  },
  ['id', 'name'],
);

const declarative = obj(
  'DeclarativeAgentSpec: an agent defined by its system message, model and tools, run by the agent runtime.',
  {
    systemMessage: str('The system message (instructions) of the agent. Mutually exclusive with systemMessageFrom.'),
    systemMessageFrom: {
      ...valueSource,
      description: 'Read the system message from a ConfigMap or Secret key. Mutually exclusive with systemMessage.',
    },
    modelConfig: str('Name of the ModelConfig to use, in the same namespace (default: default-model-config).'),
    runtime: strEnum(
      "Which of kagent's agent runtimes (ADKs) the agent asks for: go (kagent's default) or python. metagent runs " +
        'its own runtime for both and says so in the Runtime condition.',
      AGENT_RUNTIMES,
      { default: 'go' },
    ),
    stream: bool('Stream model responses token by token to A2A clients.', { default: false }),
    shareTools: bool(
      "Give the agent kagent's share-link tools (create_share_link, list_share_links, delete_share_link) for its session.",
    ),
    tools: arr('The tools the agent may call.', tool, { maxItems: 20 }),
    a2aConfig: obj('A2A settings of the agent.', {
      skills: arr('Skills advertised in the agent card.', a2aSkill, { minItems: 1 }),
    }),
    deployment: obj('How the agent runtime is deployed.', {
      imageRegistry: str('Registry to pull the agent runtime image from, overriding the default.'),
      ...sharedDeployment,
    }),
    executeCodeBlocks: bool('Execute Python code blocks in model responses in a sandbox.'),
    memory: obj(
      'Long-term memory: memories embedded with a ModelConfig and recalled in later sessions.',
      {
        modelConfig: str('Name of the ModelConfig whose embedding model generates memory vectors.'),
        ttlDays: int('Days a memory stays valid before it may be pruned (default 15).', { minimum: 1 }),
      },
      ['modelConfig'],
    ),
    context: obj('Context management of the conversation history.', {
      compaction: obj('Compaction (summarisation) of older conversation events.', {
        compactionInterval: int('Number of new user invocations that triggers a compaction.', {
          minimum: 1,
          default: 5,
        }),
        overlapSize: int('Number of preceding invocations repeated in the next compacted range.', {
          minimum: 0,
          default: 2,
        }),
        summarizer: obj('An LLM summariser for compacted events; without it they are dropped.', {
          modelConfig: str("Name of the ModelConfig used for summaries; defaults to the agent's own."),
          promptTemplate: str('A custom prompt template for the summariser.'),
        }),
        tokenThreshold: int('Compact after an invocation whose prompt token count reaches this threshold.'),
        eventRetentionSize: int('Number of most recent events always kept.'),
      }),
    }),
    promptTemplate: obj('Named prompt fragments the systemMessage can include with Go template syntax.', {
      dataSources: arr(
        'ConfigMaps whose keys become includable templates.',
        obj(
          'A source of prompt templates.',
          {
            kind: str('Kind of the source object (ConfigMap).'),
            apiGroup: str('API group of the source object; empty for the core group.'),
            name: str('Name of the source object in the same namespace.'),
            alias: str('Prefix for the templates of this source, as in {{include "alias/key"}}.'),
          },
          ['name'],
        ),
      ),
    }),
    description: str(
      'Accepted for compatibility with kagent examples; not used. The agent description is spec.description.',
    ),
  },
);

const byo = obj('BYOAgentSpec: an agent you build yourself, serving A2A from your own image.', {
  deployment: obj('How the agent image is deployed.', {
    image: str('The container image of the agent.', { minLength: 1 }),
    cmd: str('The command (entrypoint) to run instead of the image default.'),
    args: arr('Arguments to the command.', str('An argument.')),
    workingDir: str("The container's working directory; the image's WORKDIR when omitted."),
    ...sharedDeployment,
  }),
});

const skills = obj(
  'Skills loaded into the agent under /skills, fetched from container images, git repositories or S3.',
  {
    imagePullSecrets: arr(
      'Secrets (kubernetes.io/dockerconfigjson) whose merged credentials the skills-init container uses to pull skill images.',
      localObjectReference('An image pull Secret.'),
      { maxItems: 20 },
    ),
    insecureSkipVerify: bool('Fetch images insecurely (HTTP, no TLS verification). Development only.'),
    refs: arr('Container images holding skills.', str('An image reference.'), { minItems: 1, maxItems: 20 }),
    gitAuthSecretRef: localObjectReference('A Secret with git credentials (token or ssh-privatekey) for all gitRefs.'),
    gitRefs: arr(
      'Git repositories holding skills.',
      obj(
        'A git repository with skills.',
        {
          url: str('URL of the repository (HTTPS or SSH).', { minLength: 1 }),
          ref: str('Branch, tag or commit.', { default: 'main' }),
          path: str('Subdirectory to use as the skill root.'),
          name: str('Name of the skill directory under /skills; defaults to the repository name.'),
        },
        ['url'],
      ),
      { minItems: 1, maxItems: 20 },
    ),
    s3Refs: arr(
      'S3 objects or prefixes holding skills.',
      obj(
        'An S3 location with skills.',
        {
          uri: str('The S3 URI, e.g. s3://bucket/prefix or s3://bucket/bundle.zip.', { minLength: 1 }),
          region: str('The AWS region of the bucket.'),
          name: str('Name of the skill directory under /skills.'),
        },
        ['uri'],
      ),
      { minItems: 1, maxItems: 20 },
    ),
    initContainer: obj('Settings of the init container that fetches the skills.', {
      env: arr('Environment variables (e.g. credentials) of the init container.', envVar),
      resources: described(resourceRequirements, 'Compute resources of the init container.'),
    }),
  },
);

export const agentSpec = obj(
  'AgentSpec defines the agent: Declarative (runtime-run) or BYO (your image).',
  {
    type: strEnum(
      'Declarative agents are run by the agent runtime from this spec; BYO agents run your own image.',
      AGENT_TYPES,
      {
        default: 'Declarative',
      },
    ),
    byo: byo,
    declarative: declarative,
    description: str('What the agent does; shown in its A2A agent card and to agents that use it as a tool.'),
    skills,
    allowedNamespaces: allowedNamespaces('Agent (as a tool of other agents)'),
    iconUrl: str('URL of an icon for the agent, shown on its A2A agent card.', { format: 'uri' }),
    documentationUrl: str("URL of the agent's human-readable documentation, shown on its A2A agent card.", {
      format: 'uri',
    }),
    version: str("The agent's version, shown on its A2A agent card."),
    provider: obj(
      'The organization responsible for the agent, shown on its A2A agent card.',
      {
        organization: str("The name of the agent provider's organization.", { minLength: 1 }),
        url: str("URL of the provider's website or documentation.", { format: 'uri' }),
      },
      ['organization', 'url'],
    ),
    sandbox: obj('Sandboxed execution settings shared by runtimes (and readable by BYO agents).', {
      network: obj('Outbound network access of sandboxed execution; denied when allowedDomains is unset or empty.', {
        allowedDomains: arr(
          'Domains sandboxed execution may contact; wildcards such as *.example.com are allowed.',
          str('A domain.'),
        ),
      }),
    }),
  },
  ['type'],
);

export const agentStatus = obj('AgentStatus is the observed state of the Agent.', {
  observedGeneration,
  conditions,
});
