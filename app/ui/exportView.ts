/**
 * The topology as it is on screen, as a file: one SVG holding the map and its
 * overlay (the packet, trail, hook and NAT tags), every element's computed
 * style written inline so the file looks the same without our stylesheet, in
 * the theme on screen. PNG is that SVG drawn on a canvas.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

/** Presentation properties children inherit: written where they differ from the parent's. */
const INHERITED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'letter-spacing',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'visibility',
] as const;

/** Copies computed styles from `src` onto `dst`, element by element (the trees are clones). */
function inlineStyles(src: Element, dst: Element, parent: CSSStyleDeclaration | null): void {
  const cs = getComputedStyle(src);
  const decl: string[] = [];
  for (const p of INHERITED) {
    const v = cs.getPropertyValue(p);
    if (!parent || parent.getPropertyValue(p) !== v) decl.push(`${p}:${v}`);
  }
  if (cs.opacity !== '1') decl.push(`opacity:${cs.opacity}`);
  if (cs.display === 'none') decl.push('display:none');
  if (decl.length) dst.setAttribute('style', decl.join(';'));
  else dst.removeAttribute('style');
  dst.removeAttribute('class');
  for (let i = 0; i < src.children.length; i++)
    inlineStyles(src.children[i]!, dst.children[i]!, cs);
}

export interface ViewPicture {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/** The topology view (map under overlay) as a standalone SVG document, or null before one is drawn. */
export function topologySvg(doc: Document = document): ViewPicture | null {
  const map = doc.querySelector<SVGSVGElement>('svg.topology:not(.topology-overlay)');
  const overlay = doc.querySelector<SVGSVGElement>('svg.topology-overlay');
  if (!map) return null;
  const { width, height } = map.getBoundingClientRect();
  const out = doc.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('width', String(Math.round(width)));
  out.setAttribute('height', String(Math.round(height)));
  out.setAttribute('viewBox', map.getAttribute('viewBox') ?? `0 0 ${width} ${height}`);
  out.setAttribute('preserveAspectRatio', map.getAttribute('preserveAspectRatio') ?? 'none');
  const frame = map.parentElement;
  const bg = frame ? getComputedStyle(frame).backgroundColor : 'white';
  // The background covers the whole picture, whatever the viewBox's aspect.
  const back = doc.createElementNS(SVG_NS, 'rect');
  for (const [k, v] of Object.entries({ x: '-50%', y: '-50%', width: '200%', height: '200%' }))
    back.setAttribute(k, v);
  back.setAttribute('fill', bg);
  out.append(back);
  const root = getComputedStyle(map);
  for (const svg of overlay ? [map, overlay] : [map]) {
    for (const child of Array.from(svg.children)) {
      const copy = child.cloneNode(true) as Element;
      inlineStyles(child, copy, root);
      out.append(copy);
    }
  }
  // The root's own font and colour, which the children's inline styles were measured against.
  out.setAttribute(
    'style',
    INHERITED.map((p) => `${p}:${root.getPropertyValue(p)}`).join(';') + `;background:${bg}`,
  );
  const text = new XMLSerializer().serializeToString(out);
  return {
    svg: `<?xml version="1.0" encoding="UTF-8"?>\n${text}\n`,
    width: Math.round(width),
    height: Math.round(height),
  };
}

/** The picture drawn at `scale` × its on-screen size, as PNG bytes. */
export async function topologyPng(picture: ViewPicture, scale = 2): Promise<Uint8Array> {
  const url = URL.createObjectURL(new Blob([picture.svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = picture.width * scale;
    canvas.height = picture.height * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser has no 2D canvas');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the canvas could not be encoded as PNG');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    URL.revokeObjectURL(url);
  }
}
