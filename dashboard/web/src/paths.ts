// Reading and writing an object by dotted path ("spec.declarative.modelConfig"), immutably: the form and the YAML tab
// edit the same object, so nothing the form does not show is lost.
export function getIn(obj: unknown, path: string): any {
  return path.split('.').reduce<any>((o, k) => (o == null ? undefined : o[k]), obj);
}

/** A copy of `obj` with `path` set; undefined or '' removes the field (and objects it leaves empty). */
export function setIn<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const base = (obj && typeof obj === 'object' ? obj : {}) as Record<string, unknown>;
  const next = rest.length ? setIn(base[head], rest.join('.'), value) : value;
  const empty =
    next === undefined ||
    next === '' ||
    (next && typeof next === 'object' && !Array.isArray(next) && Object.keys(next).length === 0);
  const { [head]: _old, ...others } = base;
  return (empty ? others : { ...others, [head]: next }) as T;
}

/** The form field a Kubernetes field path belongs to: the longest known path that is it or one of its parents. */
export function fieldFor(causeField: string, known: readonly string[]): string | undefined {
  const f = causeField.replace(/\[\d+\]/g, '');
  return [...known].sort((a, b) => b.length - a.length).find((k) => f === k || f.startsWith(`${k}.`));
}
