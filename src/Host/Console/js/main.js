// Wires the console together: the token, the periodic reads, the live review stream.
import { ApiError, getJson, onUnauthorized, request, token } from './api.js';
import { CameraTable } from './cameras.js';
import { ConsoleMap } from './map.js';
import { ReviewQueue } from './reviews.js';
import { follow } from './stream.js';

const $ = (id) => document.getElementById(id);
const notice = $('notice');

function say(text) {
  notice.textContent = text;
  notice.hidden = !text;
}

const map = new ConsoleMap($('map'), $('legend'));
const cameras = new CameraTable($('cameras'), $('camera-count'), $('camera-filter'));
const queue = new ReviewQueue({ list: $('queue'), count: $('queue-count'), filters: $('filters'), mutes: $('mutes') });

let needsToken = false;
onUnauthorized((detail) => {
  needsToken = true;
  say(`The API needs a token (${detail}): enter yours above.`);
  $('token').focus();
});

/** Runs `read` now and every `period` ms; a failure is shown, except a 401, which the token notice covers. */
function every(period, read) {
  const run = async () => {
    try {
      await read();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) say(`Could not read from the engine: ${error.message}`);
    }
  };
  run();
  setInterval(run, period);
}

async function readHealth() {
  const health = await fetch('/api/health', { cache: 'no-store' }).then((r) => r.json());
  $('node').textContent = `node ${health.nodeId} · ${health.status}${health.mqttConnected ? '' : ' · MQTT down'}`;
}

// The grids change rarely and redrawing them closes their popups: drawn again only when the file changed.
let gridsText = '';
async function readGrids() {
  const text = await request('/api/grids').then((r) => r.text()).catch(notFoundAs('{"type":"FeatureCollection","features":[]}'));
  if (text === gridsText) return;
  gridsText = text;
  map.showGrids(JSON.parse(text));
}

async function readCameras() {
  const list = await getJson('/api/cameras').catch(notFoundAs([]));
  map.showCameras(list);
  cameras.show(list);
  if (needsToken) {
    needsToken = false;
    say('');
  }
}

async function readVehicles() {
  map.showVehicles(await getJson('/api/vehicles').catch(notFoundAs([])));
}

// A node without cameras, grids or vehicles answers 404 on their routes: it has none to show.
const notFoundAs = (value) => (error) => {
  if (error instanceof ApiError && error.status === 404) return value;
  throw error;
};

const streamState = $('stream-state');
let stream = new AbortController();

function startStream() {
  stream.abort();
  stream = new AbortController();
  follow('/api/stream', {
    onMessage: (event, data) => {
      if (event === 'review') queue.update(JSON.parse(data));
    },
    onState: (state, detail) => {
      streamState.textContent = `review stream: ${state}`;
      streamState.title = detail ?? '';
      streamState.dataset.state = state;
      if (state === 'unavailable') queue.unavailable(detail);
      if (state === 'open') {
        queue.reload().catch((error) => say(`Could not read the review queue: ${error.message}`));
        queue.refreshMutes();
      }
    },
  }, stream.signal);
}

$('token').value = token.get() ? '••••••••' : '';
$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('token').value.trim();
  if (value && value !== '••••••••') token.set(value);
  $('token').value = token.get() ? '••••••••' : '';
  restart();
});
$('token-forget').addEventListener('click', () => {
  token.set('');
  $('token').value = '';
  restart();
});

// A new token sees other grids: what the old one saw goes, everything is read again with the new one.
function restart() {
  say('');
  queue.clear();
  gridsText = '';
  map.clear();
  cameras.show([]);
  Promise.all([readGrids(), readCameras(), readVehicles()]).catch(() => {});
  startStream();
}

every(5000, readHealth);
every(60000, readGrids);
every(5000, readCameras);
every(3000, readVehicles);
startStream();
