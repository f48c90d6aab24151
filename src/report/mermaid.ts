// Mermaid flowcharts of the wait-for graph: for the whole report, and for one finding (the text
// that fills `finding.mermaid`). Waiter → waker edges; inferred parties dashed; crowds stacked.

import type { Report } from '../analysis/types.js';
import { shortFunction } from './paths.js';
import { buildWaitGraph, partyLabel, relatedFindings, type PartyNode, type WaitGraph } from './graph.js';

/**
 * Text inside a quoted Mermaid label. `#` starts an entity code, `"` ends the label, and `<` `>`
 * would be read as HTML, so all four become numeric entity codes.
 */
export function escapeMermaidLabel(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/[\r\n]+/g, ' ');
}

/** The party's label, and on a second line the function it is blocked in when that is another one. */
function nodeText(node: PartyNode): string {
  const label = escapeMermaidLabel(partyLabel(node));
  return node.blockedIn ? `${label}<br/>in ${escapeMermaidLabel(shortFunction(node.blockedIn))}` : label;
}

function nodeShape(node: PartyNode): string {
  const quoted = `"${nodeText(node)}"`;
  switch (node.role) {
    case 'crowd':
      return `[[${quoted}]]`;
    case 'inferred':
    case 'absent':
      return `(${quoted})`;
    case 'nobody':
      return `((${quoted}))`;
    default:
      return `[${quoted}]`;
  }
}

const CLASS_DEFS = [
  'classDef party fill:#fde2e2,stroke:#b42318,color:#101828',
  'classDef crowd fill:#fef0c7,stroke:#b54708,color:#101828',
  'classDef inferred fill:#ffffff,stroke:#b42318,stroke-dasharray:5 5,color:#101828',
  'classDef absent fill:#f2f4f7,stroke:#667085,stroke-dasharray:3 3,color:#344054',
  'classDef other fill:#ecfdf3,stroke:#027a48,color:#101828',
  'classDef nobody fill:#f2f4f7,stroke:#667085,color:#344054',
];

function graphToMermaid(graph: WaitGraph): string {
  const ids = new Map<string, string>();
  graph.nodes.forEach((node, index) => ids.set(node.key, `p${index}`));
  const lines = ['graph LR'];
  for (const node of graph.nodes) {
    lines.push(`  ${ids.get(node.key)}${nodeShape(node)}:::${node.role}`);
  }
  for (const edge of graph.edges) {
    const arrow = edge.inferred ? '-.->' : '-->';
    lines.push(`  ${ids.get(edge.from)} ${arrow}|"${escapeMermaidLabel(edge.label)}"| ${ids.get(edge.to)}`);
  }
  for (const classDef of CLASS_DEFS) lines.push(`  ${classDef}`);
  return `${lines.join('\n')}\n`;
}

/** The wait-for graph of every finding in the report. */
export function renderMermaid(report: Report): string {
  return graphToMermaid(buildWaitGraph(report));
}

/** The wait-for graph of one finding and the crowds waiting behind it; '' for a bad index. */
export function findingMermaid(report: Report, findingIndex: number): string {
  if (findingIndex < 0 || findingIndex >= report.findings.length) return '';
  return graphToMermaid(buildWaitGraph(report, relatedFindings(report, findingIndex)));
}
