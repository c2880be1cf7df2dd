// The camera table: state, grade, fps, owner node and the latest frame of each camera in view.
import { imageUrl, segment } from './api.js';
import { ago, colourOf, el, setImage, time } from './dom.js';

/** Rows drawn at most; a filter narrows the rest (a cluster lists every one of its cameras). */
const MaxRows = 200;
const FrameRefresh = 15000;

export class CameraTable {
  #body;
  #count;
  #filter;
  #cameras = [];
  #rows = new Map();
  #visible = new Set();
  #observer;

  constructor(table, count, filter) {
    this.#body = table.tBodies[0];
    this.#count = count;
    this.#filter = filter;
    filter.addEventListener('input', () => this.#render());
    // Frames only for the rows on screen: each one costs the engine a JPEG.
    this.#observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const id = entry.target.dataset.cameraId;
        if (entry.isIntersecting) {
          this.#visible.add(id);
          this.#loadFrame(id);
        } else {
          this.#visible.delete(id);
        }
      }
    });
    setInterval(() => this.#visible.forEach((id) => this.#loadFrame(id)), FrameRefresh);
  }

  show(cameras) {
    this.#cameras = cameras;
    this.#render();
  }

  #render() {
    const words = this.#filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const matching = this.#cameras.filter((camera) => {
      const text = [camera.id, camera.name, camera.gridId, camera.state, camera.nodeId, camera.kind].join(' ').toLowerCase();
      return words.every((word) => text.includes(word));
    });
    const shown = matching.slice(0, MaxRows);
    this.#count.textContent = matching.length > shown.length
      ? `${shown.length} of ${matching.length} shown (of ${this.#cameras.length}): filter to narrow`
      : `${matching.length} of ${this.#cameras.length}`;

    const keep = new Set(shown.map((camera) => camera.id));
    for (const [id, row] of this.#rows) {
      if (!keep.has(id)) {
        this.#observer.unobserve(row);
        setImage(row.querySelector('img'), null);
        row.remove();
        this.#rows.delete(id);
        this.#visible.delete(id);
      }
    }
    let previous = null;
    for (const camera of shown) {
      let row = this.#rows.get(camera.id);
      if (!row) {
        row = el('tr', { 'data-camera-id': camera.id });
        row.frame = el('td', {}, el('img', { class: 'frame', alt: '', 'data-alt': `latest frame of ${camera.id}` }));
        this.#rows.set(camera.id, row);
        this.#observer.observe(row);
      }
      row.dataset.state = camera.state;
      row.replaceChildren(
        row.frame,
        el('td', {}, el('strong', {}, camera.id), el('br'), el('span', { class: 'muted' }, camera.name)),
        el('td', { class: 'state', style: `--state-colour:${colourOf(camera.state)}` }, camera.state),
        el('td', {}, camera.grade),
        el('td', {}, camera.fps.toFixed(1)),
        el('td', {}, camera.nodeId ?? 'none'),
        el('td', {}, camera.gridId ?? ''),
        el('td', { title: time(camera.lastFrameAt) }, camera.lastFrameAt ? ago(camera.lastFrameAt) : 'never'),
      );
      // In id order, moving only the rows that are out of place.
      const expected = previous ? previous.nextSibling : this.#body.firstChild;
      if (expected !== row) this.#body.insertBefore(row, expected);
      previous = row;
    }
  }

  async #loadFrame(id) {
    const row = this.#rows.get(id);
    if (!row || row.loading || row.dataset.state === 'disabled') return;
    row.loading = true;
    try {
      setImage(row.querySelector('img'), await imageUrl(`/api/cameras/${segment(id)}/frame.jpg`));
    } catch {
      // A camera without a frame keeps its last one; the state column says why.
    } finally {
      row.loading = false;
    }
  }
}
