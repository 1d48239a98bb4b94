/** A tiny element builder: the views are plain DOM, no framework. */

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/**
 * `h("button", { class: "primary", "data-testid": "x", onclick: fn }, "Label")`. Attributes whose
 * value is false, null or undefined are left out; `on*` functions become listeners.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (typeof value === "function") {
      el.addEventListener(name.replace(/^on/, ""), value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  }
}

/** The text last written by setText, so a comparison does not have to read the DOM back. */
const writtenText = new WeakMap<Node, string>();

/** Sets text only when it differs: untouched nodes cause no layout work and no mutations. */
export function setText(el: Node, text: string): void {
  const last = writtenText.get(el);
  if (last === text || (last === undefined && el.textContent === text)) {
    writtenText.set(el, text);
    return;
  }
  el.textContent = text;
  writtenText.set(el, text);
}

/**
 * Makes `parent`'s children look like `next`, keeping every node whose place, tag and
 * `data-testid` are unchanged (their text and attributes are updated): a live refresh then leaves
 * keyboard focus, a text selection and a button under the pointer where they are, instead of
 * rebuilding them. A kept node keeps its listeners, so use it only to show new values of the same
 * subject; a node of another tag or test id is replaced by the new one.
 */
export function morphChildren(parent: Node, next: readonly Node[]): void {
  const old = [...parent.childNodes];
  next.forEach((node, i) => {
    const was = old[i];
    if (was === undefined) parent.appendChild(node);
    else if (was !== node) morph(was, node);
  });
  for (const extra of old.slice(next.length)) extra.parentNode?.removeChild(extra);
}

function morph(from: Node, to: Node): void {
  const same =
    from.nodeType === to.nodeType &&
    from.nodeName === to.nodeName &&
    (!(from instanceof Element) || from.getAttribute("data-testid") === (to as Element).getAttribute("data-testid"));
  if (!same) {
    from.parentNode?.replaceChild(to, from);
    return;
  }
  if (from instanceof Element && to instanceof Element) {
    for (const a of [...from.attributes]) if (!to.hasAttribute(a.name)) from.removeAttribute(a.name);
    for (const a of [...to.attributes]) if (from.getAttribute(a.name) !== a.value) from.setAttribute(a.name, a.value);
    morphChildren(from, [...to.childNodes]);
  } else if (from.nodeValue !== to.nodeValue) {
    from.nodeValue = to.nodeValue;
  }
}

/** Toggles a class only when needed (same reason as setText). */
export function setClass(el: Element, name: string, on: boolean): void {
  if (el.classList.contains(name) !== on) el.classList.toggle(name, on);
}

export function setAttr(el: Element, name: string, value: string | null): void {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) {
    el.setAttribute(name, value);
  }
}

/** A small inline SVG icon from path data (24x24 viewBox, stroked). */
export function icon(paths: string, cls = "icon"): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", cls);
  svg.setAttribute("aria-hidden", "true");
  for (const d of paths.split("|")) {
    const p = document.createElementNS(ns, "path");
    p.setAttribute("d", d);
    svg.appendChild(p);
  }
  return svg;
}

export const ICONS = {
  search: "M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14z|M20 20l-4-4",
  settings:
    "M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z|M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3a1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5a1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8a1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1a1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5a1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z",
  signOut: "M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4|M16 17l5-5-5-5|M21 12H9",
  refresh: "M21 12a9 9 0 1 1-2.6-6.4|M21 3v6h-6",
  close: "M18 6L6 18|M6 6l12 12",
  warning: "M12 3l10 18H2z|M12 10v4|M12 17.5v.5",
  truck: "M3 6h11v9H3z|M14 9h4l3 3v3h-7z|M7 18a1.5 1.5 0 1 0 0-.1z|M17 18a1.5 1.5 0 1 0 0-.1z",
  target: "M12 3v3|M12 18v3|M3 12h3|M18 12h3|M12 7a5 5 0 1 0 0 10a5 5 0 1 0 0-10z",
  fit: "M4 9V4h5|M20 9V4h-5|M4 15v5h5|M20 15v5h-5",
  info: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z|M12 11v6|M12 7.5v.5",
} as const;
