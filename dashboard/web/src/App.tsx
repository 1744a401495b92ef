// The shell: navigation, the namespace picker (all namespaces, or one; typed in when the user may not list
// namespaces), the light/dark theme switch, and the page of the current route.
import { lazy, Suspense, useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Meta } from './api';
import { href, useRoute } from './router';
import { AgentsPage } from './pages/Agents';
import { AgentDetailPage } from './pages/AgentDetail';
import { AgentFormPage } from './pages/AgentForm';
import { ModelFormPage, ModelsPage } from './pages/Models';
import { ServersPage } from './pages/Servers';

// The chat page carries the A2A client; it loads when first opened, keeping the first page's JavaScript small.
const ChatPage = lazy(() => import('./pages/Chat'));
const SharedChatPage = lazy(() => import('./pages/SharedChat'));

type Theme = 'light' | 'dark';

function useTheme(): [Theme, (t: Theme) => void] {
  const initial =
    (localStorage.getItem('metagent-theme') as Theme | null) ??
    (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  const [theme, setTheme] = useState<Theme>(initial);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('metagent-theme', theme);
  }, [theme]);
  return [theme, setTheme];
}

function NamespacePicker({ value, onChange }: { value: string; onChange: (ns: string) => void }) {
  const nss = useQuery({
    queryKey: ['namespaces'],
    queryFn: () => apiGet<{ namespaces: string[] }>('/api/namespaces'),
    retry: false,
    staleTime: 30_000,
  });
  if (nss.error || !nss.data) {
    // Listing namespaces is a cluster-wide permission many users lack: let them name theirs.
    return (
      <input
        aria-label="Show namespace"
        className="ns"
        placeholder="namespace (empty: all)"
        value={value}
        onChange={(e) => onChange(e.target.value.trim())}
      />
    );
  }
  return (
    <select aria-label="Show namespace" className="ns" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">All namespaces</option>
      {nss.data.namespaces.map((n) => (
        <option key={n}>{n}</option>
      ))}
    </select>
  );
}

export function App() {
  const route = useRoute();
  const [theme, setTheme] = useTheme();
  const [namespace, setNamespace] = useState(() => localStorage.getItem('metagent-namespace') ?? '');
  useEffect(() => {
    localStorage.setItem('metagent-namespace', namespace);
  }, [namespace]);
  const meta = useQuery({ queryKey: ['meta'], queryFn: () => apiGet<Meta>('/api/meta'), staleTime: Infinity });
  const section =
    route.page === 'models' || route.page === 'model-form' ? 'models' : route.page === 'servers' ? 'servers' : 'agents';
  let page;
  switch (route.page) {
    case 'agents':
      page = <AgentsPage namespace={namespace} />;
      break;
    case 'agent':
      page = <AgentDetailPage ns={route.ns} name={route.name} />;
      break;
    case 'agent-form':
      page = (
        <AgentFormPage key={`${route.ns}/${route.name}`} ns={route.ns} name={route.name} defaultNamespace={namespace} />
      );
      break;
    case 'chat':
      page = (
        <Suspense fallback={<p className="muted">Loading chat…</p>}>
          <ChatPage ns={route.ns} name={route.name} context={route.context} />
        </Suspense>
      );
      break;
    case 'shared':
      page = (
        <Suspense fallback={<p className="muted">Loading the shared conversation…</p>}>
          <SharedChatPage ns={route.ns} name={route.name} token={route.token} />
        </Suspense>
      );
      break;
    case 'models':
      page = <ModelsPage namespace={namespace} />;
      break;
    case 'model-form':
      page = <ModelFormPage defaultNamespace={namespace} />;
      break;
    case 'servers':
      page = <ServersPage namespace={namespace} />;
      break;
  }
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">metagent</span>
        <nav aria-label="Sections">
          <a href={href.agents()} aria-current={section === 'agents' ? 'page' : undefined}>
            Agents
          </a>
          <a href={href.models()} aria-current={section === 'models' ? 'page' : undefined}>
            Models
          </a>
          <a href={href.servers()} aria-current={section === 'servers' ? 'page' : undefined}>
            Tool servers
          </a>
        </nav>
        <span className="spacer" />
        <NamespacePicker value={namespace} onChange={setNamespace} />
        <span className="who" title="The identity every Kubernetes call is made with">
          {meta.data
            ? meta.data.mode === 'proxy'
              ? `signed in as ${meta.data.user}`
              : `context ${meta.data.context ?? ''}`
            : ''}
        </span>
        <button
          className="button small"
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        >
          {theme === 'dark' ? 'Light' : 'Dark'}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}
