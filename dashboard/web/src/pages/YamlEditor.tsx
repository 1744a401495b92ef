// The YAML tab: the whole object as YAML, for every field the form does not show. Parsed on each edit; a parse error
// is shown in place and the last good object is kept.
import { useState } from 'react';
import { parse, stringify } from 'yaml';
import type { KObject } from '../api';

export default function YamlEditor({ value, onChange }: { value: KObject; onChange: (o: KObject) => void }) {
  const [text, setText] = useState(() => stringify(value));
  const [error, setError] = useState('');
  return (
    <div className="field wide">
      <label htmlFor="f-yaml">Agent YAML</label>
      <textarea
        id="f-yaml"
        className="code"
        rows={24}
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          try {
            const o = parse(e.target.value) as KObject;
            if (!o || typeof o !== 'object' || !o.metadata)
              throw new Error('expected one Kubernetes object with metadata');
            setError('');
            onChange(o);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      />
      {error && (
        <p className="field-error" role="alert">
          YAML: {error}
        </p>
      )}
    </div>
  );
}
