// A share link opened in the dashboard (kagent's /agents/NS/NAME/chat/SESSION?share=TOKEN, redirected to
// #/shared/NS/NAME/SESSION?share=TOKEN): the shared conversation's user and agent texts, read from the agent through
// the relay with the visitor's own identity; with a writable link, a composer that sends into that conversation
// (the token goes with every call, and the runtime checks it). A read-only link shows no composer.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Composer, ErrorBox } from '../components';
import { connect, readShared, userMessage } from '../chat/a2a';

export function SharedChatPage({ ns, name, token }: { ns: string; name: string; token: string }) {
  const qc = useQueryClient();
  const key = ['shared', ns, name, token];
  const shared = useQuery({
    queryKey: key,
    queryFn: () => readShared(ns, name, token),
    enabled: !!token,
    retry: false,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();

  const send = async (t: string) => {
    if (!shared.data) return;
    setBusy(true);
    setError(undefined);
    try {
      const { client } = await connect(ns, name, token);
      for await (const ev of client.sendMessageStream(userMessage(t, shared.data.contextId))) void ev;
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
      // The answer is in the conversation now: read it back as every visitor sees it.
      void qc.invalidateQueries({ queryKey: key });
    }
  };

  const data = shared.data;
  return (
    <section className="chat-main" aria-labelledby="shared-h">
      <div className="page-head">
        <h1 id="shared-h">
          Shared conversation with {ns}/{name}
        </h1>
        {data && <span className="badge">{data.readOnly ? 'read-only' : 'you may reply'}</span>}
      </div>
      {!token && <p className="muted">This link has no share token.</p>}
      {shared.error && <ErrorBox error={shared.error as Error} what="open this share link" />}
      {error && <ErrorBox error={error} what="send your message" />}
      <div className="transcript" aria-live="polite" data-testid="shared-transcript">
        {data && !data.messages.length && <p className="muted">Nothing has been said in this conversation yet.</p>}
        {data?.messages.map((m, i) => (
          <div key={i} className={`bubble ${m.role === 'user' ? 'user' : 'agent'}`}>
            {m.text}
          </div>
        ))}
      </div>
      {data && !data.readOnly && (
        <Composer
          id="shared-input"
          placeholder="Reply in this shared conversation (Enter sends, Shift+Enter for a new line)"
          disabled={busy}
          onSend={(t) => void send(t)}
        />
      )}
    </section>
  );
}

export default SharedChatPage;
