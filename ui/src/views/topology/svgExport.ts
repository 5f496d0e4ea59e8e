// The picture as a file: the view's own <svg>, cloned, with every style the app's CSS gives it
// written inline (colours resolved from the theme's variables), the pan/zoom reset so the whole
// fabric shows, and a background: an SVG that looks the same outside the app.
const PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'color',
  'font-family',
  'font-size',
  'font-weight',
  'text-decoration',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
];

/** `svg` serialized with inline styles; `width`×`height` is the drawing's size (the layout's). */
export function serializeSvg(svg: SVGSVGElement, width: number, height: number): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const source = [svg, ...svg.querySelectorAll('*')];
  const target = [clone, ...clone.querySelectorAll('*')];
  const view = typeof getComputedStyle === 'function';
  source.forEach((el, i) => {
    const out = target[i] as SVGElement;
    if (view) {
      const cs = getComputedStyle(el);
      const style = PROPS.map((p) => [p, cs.getPropertyValue(p)] as const)
        .filter(([, v]) => v && !v.startsWith('var('))
        .map(([p, v]) => `${p}:${v}`)
        .join(';');
      if (style) out.setAttribute('style', style);
    }
    out.removeAttribute('class');
    for (const a of [...out.attributes]) if (a.name.startsWith('data-') || a.name === 'tabindex' || a.name === 'role') out.removeAttribute(a.name);
  });
  // the first <g> is the pan/zoom viewport: the file shows the whole drawing
  clone.querySelector('g')?.removeAttribute('transform');
  const background = view ? getComputedStyle(svg).getPropertyValue('--bg') || '#ffffff' : '#ffffff';
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(Math.ceil(width)));
  clone.setAttribute('height', String(Math.ceil(height)));
  clone.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
  const rect = clone.ownerDocument.createElementNS('http://www.w3.org/2000/svg', 'rect');
  rect.setAttribute('width', '100%');
  rect.setAttribute('height', '100%');
  rect.setAttribute('fill', background.trim() || '#ffffff');
  clone.insertBefore(rect, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}
