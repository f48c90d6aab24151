// Strongly connected components of the wait-for graph (Tarjan's algorithm, iterative so that a
// graph of thousands of groups cannot overflow the stack). O(parties + edges).

/** A directed edge between two node ids. */
export interface Edge {
  from: string;
  to: string;
}

/** Components that are cycles: two or more parties, or one party with an edge to itself. */
export function findCycles(nodes: string[], edges: Edge[]): string[][] {
  const successors = new Map<string, string[]>();
  for (const node of nodes) successors.set(node, []);
  for (const edge of edges) successors.get(edge.from)?.push(edge.to);

  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of nodes) {
    if (index.has(root)) continue;
    // Each work item is a node and the position of the next successor to visit.
    const work: [string, number][] = [[root, 0]];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const [node, next] = top;
      const succ = successors.get(node) ?? [];
      if (next < succ.length) {
        top[1]++;
        const to = succ[next];
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push([to, 0]);
        } else if (onStack.has(to)) {
          low.set(node, Math.min(low.get(node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(node)!));
      }
      if (low.get(node) === index.get(node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        const selfLoop = component.length === 1 && (successors.get(node) ?? []).includes(node);
        if (component.length > 1 || selfLoop) components.push(component.reverse());
      }
    }
  }
  return components;
}
