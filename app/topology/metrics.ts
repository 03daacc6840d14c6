/** Sizes of the topology drawing, in SVG user units (the viewBox scales them). */
export const M = {
  pad: 22,
  nodeHeader: 70,
  nodeMinWidth: 480,
  nodeGap: 56,
  podWidth: 244,
  podGapX: 36,
  podRowGap: 44,
  /** Extra gutter per pod row above the bottom one: cables of upper rows run down these lanes. */
  lane: 14,
  podHeader: 88,
  containerRow: 21,
  podFooter: 14,
  cableZone: 66,
  bridgeHeight: 58,
  belowBridge: 34,
  /** A packet resting on a bridge: its centre this far below the bar's top, over the label's ascent. */
  bridgeRest: 8,
  chipWidth: 218,
  chipHeight: 44,
  chipGap: 20,
  busGap: 40,
  maxPodColumns: 3,
  maxNodesPerRow: 3,
  /** The Services band above the nodes: its heading, and the VIP badges in it. */
  bandHeading: 34,
  bandPad: 14,
  vipWidth: 340,
  vipHeight: 70,
  vipGap: 16,
  /** Rows of badges before the band collapses to a count and the Services in play. */
  vipRows: 2,
  /** A machine outside the cluster, below the node network. */
  extWidth: 262,
  extHeight: 118,
  extGap: 40,
} as const;
