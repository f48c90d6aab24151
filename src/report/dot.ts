// Graphviz DOT of the wait-for graph. Only findings' parties, their wakers and the crowds behind
// them are drawn (one node per group); groups in no finding are left out.

import type { Report } from '../analysis/types.js';
import { buildWaitGraph, partyLabel, relatedFindings, type PartyNode, type WaitGraph } from './graph.js';

/** A DOT double-quoted string: backslash and quote escaped, line breaks as DOT's centred `\n`. */
export function dotString(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n');
  return `"${escaped}"`;
}

const NODE_STYLE: Record<PartyNode['role'], string> = {
  party: 'style="filled", fillcolor="#fde2e2", color="#b42318"',
  crowd: 'shape=box3d, style="filled", fillcolor="#fef0c7", color="#b54708"',
  inferred: 'style="dashed,rounded", color="#b42318"',
  absent: 'style="dashed", color="#667085", fontcolor="#344054"',
  other: 'style="filled", fillcolor="#ecfdf3", color="#027a48"',
  nobody: 'shape=ellipse, style="filled", fillcolor="#f2f4f7", color="#667085"',
};

/** An id-safe form of a party key: `fn:main.(*server).peerHandler` → `fn_main.__server_.peerHandler`. */
export function anchorSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/**
 * The element id a party has in the HTML report: its section in the first finding that lists it
 * (`f1-party-G3`); a waker group outside the findings links to its row in the group list; an
 * absent waker to its `fn_` anchor; the "no waker" sink to nothing.
 */
export function partyAnchor(node: PartyNode): string | null {
  if (node.finding >= 0) return `f${node.finding + 1}-party-${anchorSafe(node.key)}`;
  if (node.role === 'other' && node.group) return `group-${anchorSafe(node.group)}`;
  if (node.role === 'absent') return `waker-${anchorSafe(node.function)}`;
  return null;
}

/** How a renderer maps a node to the link its SVG element carries; null for none. */
export type NodeLink = (node: PartyNode) => string | null;

const defaultLink: NodeLink = (node) => {
  const anchor = partyAnchor(node);
  return anchor === null ? null : `#${anchor}`;
};

function nodeLabel(node: PartyNode): string {
  const lines = [partyLabel(node)];
  if (node.blockedAt) lines.push(`blocked in ${node.blockedAt}`);
  return lines.join('\n');
}

function graphToDot(graph: WaitGraph, name: string, linkOf: NodeLink): string {
  const ids = new Map<string, string>();
  graph.nodes.forEach((node, index) => ids.set(node.key, `p${index}`));
  const lines = [
    `digraph ${dotString(name)} {`,
    '  rankdir=LR;',
    '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const node of graph.nodes) {
    const attributes = [
      `label=${dotString(nodeLabel(node))}`,
      NODE_STYLE[node.role],
      `id=${dotString(`node-${anchorSafe(node.key)}`)}`,
      `class=${dotString(`role_${node.role}`)}`,
      `tooltip=${dotString(node.function || partyLabel(node))}`,
    ];
    const link = linkOf(node);
    if (link !== null) attributes.push(`URL=${dotString(link)}`);
    lines.push(`  ${ids.get(node.key)} [${attributes.join(', ')}];`);
  }
  for (const edge of graph.edges) {
    const attributes = [`label=${dotString(edge.label)}`, `tooltip=${dotString(`${edge.operation} ${edge.resource}`.trim())}`];
    if (edge.inferred) attributes.push('style="dashed"');
    lines.push(`  ${ids.get(edge.from)} -> ${ids.get(edge.to)} [${attributes.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The wait-for graph of every finding. */
export function renderDot(report: Report): string {
  return graphToDot(buildWaitGraph(report), 'gridlock', defaultLink);
}

/** The wait-for graph of one finding and the crowds waiting behind it; '' for a bad index. */
export function findingDot(report: Report, findingIndex: number, linkOf: NodeLink = defaultLink): string {
  if (findingIndex < 0 || findingIndex >= report.findings.length) return '';
  return graphToDot(buildWaitGraph(report, relatedFindings(report, findingIndex)), `finding ${findingIndex + 1}`, linkOf);
}
