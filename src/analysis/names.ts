// Short names for people, shared by the stages of the analysis that word a finding or a party.

/** `main.(*server).peerHandler` → `peerHandler`; `pkg.(*T).M.func1` → `M.func1`. */
export function shortFunction(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  const tail = name.slice(lastSlash + 1);
  const parts = tail.split('.');
  // Drop the package and a receiver part, keep the name and closure suffixes.
  let i = 1;
  if (parts[i]?.startsWith('(') || (parts.length > 2 && /^[A-Z(]/.test(parts[i] ?? '') && !/^func\d+$/.test(parts[i + 1] ?? ''))) i++;
  return parts.slice(Math.min(i, parts.length - 1)).join('.');
}
