// Wheel, drag and pinch on the node map (Components/Shared/NodeMap): the view box moves in the browser while the
// gesture lasts, and the component hears the final view once it ends (it then regroups the markers for the zoom).
// Same bounds as MapViewport.cs: the view never leaves the world and zooms from 1 to maxZoom.
const maps = new WeakMap();
// Pixels a pointer may move and still be a click on a marker, not a drag.
const clickSlop = 4;

export function attach(svg, component, bounds) {
  if (!svg || maps.has(svg)) return;
  const pointers = new Map();
  let gesture = null;
  let wheelTimer = 0;

  const read = () => {
    const [x, y, width, height] = svg.getAttribute('viewBox').split(/\s+/).map(Number);
    return { zoom: bounds.width / width, cx: x + width / 2, cy: y + height / 2 };
  };
  const clamp = (view) => {
    const zoom = Math.min(bounds.maxZoom, Math.max(1, view.zoom));
    const hw = bounds.width / zoom / 2, hh = bounds.height / zoom / 2;
    return {
      zoom,
      cx: Math.min(bounds.x + bounds.width - hw, Math.max(bounds.x + hw, view.cx)),
      cy: Math.min(bounds.y + bounds.height - hh, Math.max(bounds.y + hh, view.cy)),
    };
  };
  const show = (view) => {
    const w = bounds.width / view.zoom, h = bounds.height / view.zoom;
    svg.setAttribute('viewBox', [view.cx - w / 2, view.cy - h / 2, w, h].map(v => +v.toFixed(3)).join(' '));
  };
  const report = (view) => component.invokeMethodAsync('SetViewAsync', view.cx, view.cy, view.zoom);
  // Map units per screen pixel, and the map point under a client position.
  const scale = (view) => bounds.width / view.zoom / svg.getBoundingClientRect().width;
  const pointAt = (view, clientX, clientY) => {
    const rect = svg.getBoundingClientRect(), s = scale(view);
    return { x: view.cx + (clientX - rect.left - rect.width / 2) * s, y: view.cy + (clientY - rect.top - rect.height / 2) * s };
  };
  // Zoom by a factor keeping the map point under (clientX, clientY) where it is.
  const zoomAround = (view, factor, clientX, clientY) => {
    const before = pointAt(view, clientX, clientY);
    const zoomed = { ...view, zoom: Math.min(bounds.maxZoom, Math.max(1, view.zoom * factor)) };
    const after = pointAt(zoomed, clientX, clientY);
    return clamp({ zoom: zoomed.zoom, cx: view.cx + before.x - after.x, cy: view.cy + before.y - after.y });
  };

  const onWheel = (e) => {
    e.preventDefault();
    const view = zoomAround(read(), Math.exp(-e.deltaY * 0.002), e.clientX, e.clientY);
    show(view);
    clearTimeout(wheelTimer);
    wheelTimer = setTimeout(() => report(read()), 150);
  };
  const onDown = (e) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    gesture = { start: read(), pointers: new Map([...pointers].map(([id, p]) => [id, { ...p }])), moved: false };
  };
  const onMove = (e) => {
    if (!gesture || !pointers.has(e.pointerId)) return;
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const now = [...pointers.values()], then = [...gesture.pointers.values()];
    if (now.length >= 2 && then.length >= 2) {
      const mid = (a, b) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
      const span = (a, b) => Math.hypot(a.x - b.x, a.y - b.y) || 1;
      const m0 = mid(then[0], then[1]), m1 = mid(now[0], now[1]);
      const zoomed = zoomAround(gesture.start, span(now[0], now[1]) / span(then[0], then[1]), m0.x, m0.y);
      const s = scale(zoomed);
      show(clamp({ zoom: zoomed.zoom, cx: zoomed.cx - (m1.x - m0.x) * s, cy: zoomed.cy - (m1.y - m0.y) * s }));
      gesture.moved = true;
      return;
    }
    const first = then[0], dx = e.clientX - first.x, dy = e.clientY - first.y;
    if (!gesture.moved && Math.hypot(dx, dy) < clickSlop) return;
    if (!gesture.moved) svg.setPointerCapture(e.pointerId);
    gesture.moved = true;
    svg.classList.add('node-map-dragging');
    const s = scale(gesture.start);
    show(clamp({ zoom: gesture.start.zoom, cx: gesture.start.cx - dx * s, cy: gesture.start.cy - dy * s }));
  };
  const onUp = (e) => {
    if (!pointers.delete(e.pointerId) || !gesture) return;
    svg.classList.remove('node-map-dragging');
    if (gesture.moved) {
      gesture.suppressClick = true;
      report(read());
    }
    const suppress = gesture.suppressClick;
    // A finger lifted from a pinch: the other one starts a fresh drag from here.
    gesture = pointers.size > 0 ? { start: read(), pointers: new Map([...pointers].map(([id, p]) => [id, { ...p }])), moved: false, suppressClick: suppress } : null;
    if (suppress) {
      // The click that ends a drag must not open a marker's popover.
      // The browser sends that click right after pointerup, if at all; the guard goes before any later click.
      const swallow = (c) => c.stopPropagation();
      svg.addEventListener('click', swallow, { capture: true, once: true });
      setTimeout(() => svg.removeEventListener('click', swallow, { capture: true }), 0);
    }
  };

  svg.addEventListener('wheel', onWheel, { passive: false });
  svg.addEventListener('pointerdown', onDown);
  svg.addEventListener('pointermove', onMove);
  svg.addEventListener('pointerup', onUp);
  svg.addEventListener('pointercancel', onUp);
  maps.set(svg, () => {
    clearTimeout(wheelTimer);
    svg.removeEventListener('wheel', onWheel);
    svg.removeEventListener('pointerdown', onDown);
    svg.removeEventListener('pointermove', onMove);
    svg.removeEventListener('pointerup', onUp);
    svg.removeEventListener('pointercancel', onUp);
  });
}

export function detach(svg) {
  const stop = svg && maps.get(svg);
  if (stop) {
    stop();
    maps.delete(svg);
  }
}
