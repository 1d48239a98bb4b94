/** jsdom has no layout: give a map container a size so Leaflet and the cluster plugin can work. */
export function sizedContainer(width = 1000, height = 700): HTMLElement {
  const el = document.createElement("div");
  Object.defineProperty(el, "clientWidth", { configurable: true, get: () => width });
  Object.defineProperty(el, "clientHeight", { configurable: true, get: () => height });
  document.body.append(el);
  return el;
}
