// Small helpers that build elements from text: values from the API never go through innerHTML.

/** An element with attributes (class, data-*, …) and children (nodes or text). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/** A definition list from [term, value] pairs, leaving out the empty ones. */
export function details(pairs) {
  return el('dl', {}, pairs.filter(([, value]) => value !== null && value !== undefined && value !== '')
    .flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

export function time(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

export function ago(iso) {
  if (!iso) return '';
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return `${Math.max(seconds, 0)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

/**
 * Keeps one object URL per image element, revoking the one it replaces. The text of `data-alt` is the image's alt
 * only while it has one: an image still to come shows its empty box, not a broken-image sign.
 */
export function setImage(image, url) {
  const previous = image.dataset.objectUrl;
  if (url) {
    image.src = url;
    image.alt = image.dataset.alt ?? '';
    image.dataset.objectUrl = url;
  } else {
    image.removeAttribute('src');
    image.alt = '';
    delete image.dataset.objectUrl;
  }
  if (previous && previous !== url) URL.revokeObjectURL(previous);
}

export const stateColours = {
  online: '#2e7d32',
  degraded: '#f9a825',
  offline: '#c62828',
  starting: '#1565c0',
  disabled: '#757575',
  unowned: '#6a1b9a',
};

export const colourOf = (state) => stateColours[state] ?? '#455a64';
