// The review queue: one item per camera incident, fed live from /api/stream, worked with the review actions.
import { ApiError, deleteResource, getJson, imageUrl, postJson, segment } from './api.js';
import { ago, details, el, setImage, time } from './dom.js';

/** Items kept in the page at most; the oldest go first. */
const MaxItems = 500;
const Closed = new Set(['handled', 'false-alarm']);
const Severities = ['critical', 'high', 'medium', 'low', 'info'];

export class ReviewQueue {
  #list;
  #count;
  #filters;
  #mutes;
  #items = new Map();
  #cards = new Map();
  #fromStream = new Set();

  constructor({ list, count, filters, mutes }) {
    this.#list = list;
    this.#count = count;
    this.#filters = filters;
    this.#mutes = mutes;
    filters.addEventListener('change', () => this.#render());
    this.#render();
  }

  /** The stream is (re)connected: what it sends from now on is newer than a list fetched after this. */
  async reload() {
    this.#fromStream.clear();
    const items = await getJson('/api/reviews');
    for (const item of items) {
      if (!this.#fromStream.has(item.id)) this.#items.set(item.id, item);
    }
    // Items gone from the list (aged out of the store, or no longer visible to this token) go from the page too.
    const listed = new Set(items.map((item) => item.id));
    for (const id of this.#items.keys()) {
      if (!listed.has(id) && !this.#fromStream.has(id)) this.#items.delete(id);
    }
    this.#render();
  }

  /** An item from the stream: created, joined by an event, ended or worked. */
  update(item) {
    this.#fromStream.add(item.id);
    this.#items.set(item.id, item);
    this.#render();
  }

  clear() {
    this.#items.clear();
    this.#render();
  }

  /** The engine has no review queue to show this caller (no such API, or the stream refused). */
  unavailable(detail) {
    this.#items.clear();
    this.#render();
    this.#list.replaceChildren(el('p', { class: 'empty' }, `The review queue is not available: ${detail}`));
  }

  async refreshMutes() {
    let mutes;
    try {
      mutes = await getJson('/api/mutes');
    } catch {
      this.#mutes.replaceChildren();
      return;
    }
    this.#mutes.replaceChildren(...mutes.map((mute) => el('div', { class: 'mute', 'data-camera-id': mute.cameraId, 'data-rule': mute.rule },
      `Muted: rule ${mute.rule} on ${mute.cameraId} until ${time(mute.until)} `,
      el('button', { type: 'button', onclick: async () => {
        await deleteResource(`/api/cameras/${segment(mute.cameraId)}/mutes/${segment(mute.rule)}`).catch(() => {});
        await this.refreshMutes();
      } }, 'Unmute'))));
  }

  #sorted() {
    const items = [...this.#items.values()].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
    for (const item of items.slice(MaxItems)) this.#items.delete(item.id);
    return items.slice(0, MaxItems);
  }

  #matches(item, filter) {
    return (!filter.gridId || item.gridId === filter.gridId)
      && (!filter.cameraId || item.cameraId === filter.cameraId)
      && (!filter.severity || item.severity === filter.severity)
      && (!filter.rule || item.rules.includes(filter.rule))
      && (!filter.state || (filter.state === 'open' ? !Closed.has(item.state) : item.state === filter.state));
  }

  #render() {
    const items = this.#sorted();
    this.#fillFilters(items);
    const filter = Object.fromEntries([...this.#filters.querySelectorAll('select')].map((s) => [s.dataset.field, s.value]));
    const shown = items.filter((item) => this.#matches(item, filter));
    this.#count.textContent = `${shown.length} of ${items.length}`;

    for (const [id, card] of this.#cards) {
      if (!this.#items.has(id)) {
        setImage(card.image, null);
        card.root.remove();
        this.#cards.delete(id);
      }
    }
    const cards = shown.map((item) => this.#cardOf(item));
    if (cards.length === 0) this.#list.replaceChildren(el('p', { class: 'empty' }, items.length ? 'No item matches the filters.' : 'No review item yet.'));
    else {
      this.#list.querySelector('.empty')?.remove();
      const visible = new Set(shown.map((item) => item.id));
      for (const [id, card] of this.#cards) if (!visible.has(id)) card.root.remove();
      let previous = null;
      for (const card of cards) {
        const expected = previous ? previous.nextSibling : this.#list.firstChild;
        if (expected !== card.root) this.#list.insertBefore(card.root, expected);
        previous = card.root;
      }
    }
  }

  #fillFilters(items) {
    const values = {
      gridId: items.map((i) => i.gridId),
      cameraId: items.map((i) => i.cameraId),
      severity: Severities,
      rule: items.flatMap((i) => i.rules),
    };
    for (const select of this.#filters.querySelectorAll('select')) {
      const wanted = values[select.dataset.field];
      if (!wanted) continue;
      const present = new Set([...select.options].map((o) => o.value));
      const unique = [...new Set(wanted.filter(Boolean))];
      if (select.dataset.field !== 'severity') unique.sort();
      for (const value of unique) if (!present.has(value)) select.append(el('option', { value }, value));
    }
  }

  #cardOf(item) {
    let card = this.#cards.get(item.id);
    if (!card) {
      card = this.#newCard(item.id);
      this.#cards.set(item.id, card);
    }
    card.item = item;
    const root = card.root;
    root.dataset.state = item.state;
    root.dataset.gridId = item.gridId;
    root.dataset.cameraId = item.cameraId;
    root.dataset.severity = item.severity;
    card.info.replaceChildren(
      el('h3', {}, item.cameraId,
        el('span', { class: `badge severity-${item.severity}` }, item.severity),
        el('span', { class: 'badge state' }, item.state),
        el('span', { class: 'muted' }, `${item.eventCount} event${item.eventCount === 1 ? '' : 's'}`)),
      details([
        ['rule', item.rules.join(', ')],
        ['what', item.labels.join(', ')],
        ['grid', item.gridId],
        ['started', `${time(item.startedAt)} (${ago(item.startedAt)})`],
        ['ended', item.endedAt ? time(item.endedAt) : item.open ? 'still going on' : ''],
        ['assignee', item.assignee],
        ['patrol cars', (item.nearbyVehicles ?? []).map((v) => `${v.vehicleId} (${Math.round(v.distanceMeters)} m)`).join(', ') || 'none near'],
        ['where', item.location ? `${item.location.lat.toFixed(5)}, ${item.location.lon.toFixed(5)} (${item.location.source})` : ''],
      ]));
    card.history.replaceChildren(...(item.history ?? []).map((h) =>
      el('li', {}, `${time(h.at)}: ${h.action} -> ${h.state} by ${h.by}${h.comment ? `: “${h.comment}”` : ''}`)));
    const closed = Closed.has(item.state);
    for (const button of card.actions.querySelectorAll('button[data-action]')) {
      const action = button.dataset.action;
      button.disabled = closed ? action !== 'mute' : (action === 'acknowledge' && item.state !== 'new');
    }
    const rules = card.actions.querySelector('select[name="rule"]');
    if ([...rules.options].map((o) => o.value).join() !== item.rules.join()) {
      rules.replaceChildren(...item.rules.map((rule) => el('option', { value: rule }, rule)));
    }
    if (item.hasSnapshot && card.snapshotOf !== item.snapshotEventId) {
      card.snapshotOf = item.snapshotEventId;
      imageUrl(`/api/reviews/${segment(item.id)}/snapshot.jpg`).then((url) => setImage(card.image, url)).catch(() => { card.snapshotOf = null; });
    }
    return card;
  }

  #newCard(id) {
    const image = el('img', { class: 'snapshot', alt: '', 'data-alt': 'snapshot' });
    const info = el('div', { class: 'info' });
    const history = el('ol', { class: 'history' });
    const status = el('span', { class: 'muted status', role: 'status' });
    const actions = el('form', { class: 'actions' },
      el('input', { name: 'comment', placeholder: 'comment', maxlength: 500 }),
      el('button', { type: 'button', 'data-action': 'acknowledge' }, 'Acknowledge'),
      el('input', { name: 'assignee', placeholder: 'assignee', maxlength: 100 }),
      el('button', { type: 'button', 'data-action': 'assign' }, 'Assign'),
      el('button', { type: 'button', 'data-action': 'handled' }, 'Close: handled'),
      el('button', { type: 'button', 'data-action': 'false-alarm' }, 'Close: false alarm'),
      el('select', { name: 'rule', 'aria-label': 'rule to mute' }),
      el('input', { name: 'minutes', type: 'number', min: 1, max: 1440, value: 30, 'aria-label': 'minutes' }),
      el('button', { type: 'button', 'data-action': 'mute' }, 'Mute'),
      status);
    const root = el('article', { class: 'review', 'data-review-id': id }, image, info, actions, history);
    const card = { root, image, info, history, actions, status, item: null, snapshotOf: null };
    actions.addEventListener('submit', (e) => e.preventDefault());
    actions.addEventListener('click', (e) => {
      const button = e.target.closest('button[data-action]');
      if (button) this.#act(card, button.dataset.action);
    });
    return card;
  }

  async #act(card, action) {
    const form = card.actions;
    const comment = form.elements.comment.value.trim() || undefined;
    const id = segment(card.item.id);
    card.status.textContent = '…';
    try {
      let answer;
      switch (action) {
        case 'acknowledge':
          answer = await postJson(`/api/reviews/${id}/acknowledge`, { comment });
          break;
        case 'assign': {
          const assignee = form.elements.assignee.value.trim();
          if (!assignee) {
            card.status.textContent = 'name the assignee first';
            return;
          }
          answer = await postJson(`/api/reviews/${id}/assign`, { assignee, comment });
          break;
        }
        case 'handled':
        case 'false-alarm':
          answer = await postJson(`/api/reviews/${id}/close`, { resolution: action, comment });
          break;
        case 'mute': {
          const minutes = Number(form.elements.minutes.value);
          await postJson(`/api/cameras/${segment(card.item.cameraId)}/mutes`, { rule: form.elements.rule.value, minutes, comment });
          await this.refreshMutes();
          break;
        }
      }
      form.elements.comment.value = '';
      card.status.textContent = 'done';
      if (answer) this.update(answer);
    } catch (error) {
      card.status.textContent = error instanceof ApiError ? `refused (${error.status}): ${error.message}` : `failed: ${error.message}`;
    }
  }
}
