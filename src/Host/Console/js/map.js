// The map: grid polygons, cameras coloured by state, patrol cars. No tile layer: the console works without internet,
// so the grids themselves are the map.
import * as L from '../vendor/leaflet/leaflet-src.esm.js';
import { imageUrl, segment } from './api.js';
import { ago, colourOf, details, el, setImage, stateColours, time } from './dom.js';

export class ConsoleMap {
  #map;
  #grids;
  #gridLabels;
  #cameras = new Map();
  #vehicles = new Map();
  #cameraLayer;
  #vehicleLayer;
  #userMoved = false;
  #fittedGrids = false;

  constructor(element, legend) {
    this.#map = L.map(element, { attributionControl: false, zoomSnap: 0.5 }).setView([0, 0], 2);
    L.control.scale({ imperial: false }).addTo(this.#map);
    // Grid labels under the cameras and cars, which they would hide otherwise.
    this.#map.createPane('gridLabels').style.zIndex = 420;
    // Cameras above every grid, whichever was drawn last (a reloaded grid file is drawn after them).
    this.#map.createPane('cameras').style.zIndex = 450;
    this.#grids = L.geoJSON(null, {
      style: () => ({ color: '#1f5fbf', weight: 2, fillColor: '#1f5fbf', fillOpacity: 0.08, className: 'grid-shape' }),
      onEachFeature: (feature, layer) => {
        const { id, name } = feature.properties ?? {};
        layer.bindPopup(() => el('div', { class: 'popup' }, el('h3', {}, `Grid ${id}`), details([['name', name]])));
      },
    });
    // Each grid's label in its north-west corner, where it hides no camera.
    this.#gridLabels = L.layerGroup();
    const grids = L.layerGroup([this.#grids, this.#gridLabels]).addTo(this.#map);
    this.#cameraLayer = L.layerGroup().addTo(this.#map);
    this.#vehicleLayer = L.layerGroup().addTo(this.#map);
    L.control.layers(null, { Grids: grids, Cameras: this.#cameraLayer, 'Patrol cars': this.#vehicleLayer }, { collapsed: false }).addTo(this.#map);
    // Only the operator's own dragging or zooming keeps the map where it is; fitting to new data moves it otherwise.
    element.addEventListener('pointerdown', () => { this.#userMoved = true; });
    element.addEventListener('wheel', () => { this.#userMoved = true; }, { passive: true });

    legend.replaceChildren(
      ...Object.entries(stateColours).map(([state, colour]) => el('li', {}, el('i', { style: `background:${colour}` }), `camera ${state}`)),
      el('li', {}, el('i', { class: 'vehicle', style: 'background:#0d47a1' }), 'patrol car'),
    );
  }

  /** Everything off the map (another token sees other things); the next data is fitted again. */
  clear() {
    this.showGrids({ type: 'FeatureCollection', features: [] });
    this.showCameras([]);
    this.showVehicles([]);
    this.#fittedGrids = false;
    this.#userMoved = false;
  }

  showGrids(collection) {
    this.#grids.clearLayers();
    this.#grids.addData(collection);
    this.#gridLabels.clearLayers();
    for (const layer of this.#grids.getLayers()) {
      const { id, name } = layer.feature.properties ?? {};
      L.tooltip({ permanent: true, direction: 'right', offset: [0, 10], className: 'grid-label', pane: 'gridLabels' })
        .setLatLng(layer.getBounds().getNorthWest())
        .setContent(name ? `${id}: ${name}` : String(id))
        .addTo(this.#gridLabels);
    }
    if (!this.#fittedGrids && collection.features.length > 0) {
      this.#fittedGrids = true;
      this.#fit();
    }
  }

  showCameras(cameras) {
    const seen = new Set();
    for (const camera of cameras) {
      if (camera.latitude === null || camera.latitude === undefined || camera.longitude === null || camera.longitude === undefined) continue;
      seen.add(camera.id);
      const style = { pane: 'cameras', radius: 8, weight: 2, color: '#fff', fillColor: colourOf(camera.state), fillOpacity: 1, className: `camera-marker state-${camera.state}` };
      let marker = this.#cameras.get(camera.id);
      if (!marker) {
        marker = L.circleMarker([camera.latitude, camera.longitude], style).addTo(this.#cameraLayer);
        // Content made when the popup opens, as an element: a function would be called again by each update(), losing the frame.
        marker.bindPopup('', { minWidth: 220 });
        marker.on('popupopen', (e) => e.popup.setContent(this.#cameraPopup(marker.camera)));
        marker.bindTooltip(camera.id);
        this.#cameras.set(camera.id, marker);
      } else {
        marker.setLatLng([camera.latitude, camera.longitude]);
        marker.setStyle(style);
        // The class of an SVG path is set once by Leaflet: keep it saying the state now.
        marker.getElement()?.setAttribute('class', `leaflet-interactive ${style.className}`);
      }
      marker.camera = camera;
      marker.getElement()?.setAttribute('data-camera-id', camera.id);
    }
    for (const [id, marker] of this.#cameras) {
      if (!seen.has(id)) {
        marker.remove();
        this.#cameras.delete(id);
      }
    }
    if (!this.#fittedGrids) this.#fit();
  }

  showVehicles(vehicles) {
    const seen = new Set();
    for (const vehicle of vehicles) {
      seen.add(vehicle.vehicleId);
      let marker = this.#vehicles.get(vehicle.vehicleId);
      if (!marker) {
        const icon = L.divIcon({ className: 'vehicle-marker', iconSize: [12, 12] });
        marker = L.marker([vehicle.lat, vehicle.lon], { icon, title: vehicle.vehicleId, keyboard: false }).addTo(this.#vehicleLayer);
        marker.bindPopup(() => el('div', { class: 'popup' },
          el('h3', {}, `Patrol car ${marker.vehicle.vehicleId}`),
          details([
            ['grid', marker.vehicle.gridId ?? 'outside every grid'],
            ['position', `${marker.vehicle.lat.toFixed(5)}, ${marker.vehicle.lon.toFixed(5)}`],
            ['fix', `${time(marker.vehicle.at)} (${ago(marker.vehicle.at)})`],
          ])));
        this.#vehicles.set(vehicle.vehicleId, marker);
      } else {
        marker.setLatLng([vehicle.lat, vehicle.lon]);
      }
      marker.vehicle = vehicle;
      marker.getElement()?.setAttribute('data-vehicle-id', vehicle.vehicleId);
    }
    for (const [id, marker] of this.#vehicles) {
      if (!seen.has(id)) {
        marker.remove();
        this.#vehicles.delete(id);
      }
    }
  }

  #cameraPopup(camera) {
    const image = el('img', { alt: '', 'data-alt': `latest frame of ${camera.id}` });
    // The popup sizes itself to its content: again once the frame is there.
    image.addEventListener('load', () => this.#cameras.get(camera.id)?.getPopup()?.update());
    const button = el('button', { type: 'button' }, 'Latest frame');
    button.addEventListener('click', async () => {
      button.disabled = true;
      const url = await imageUrl(`/api/cameras/${segment(camera.id)}/frame.jpg`).catch(() => null);
      button.disabled = false;
      if (url) setImage(image, url);
      else button.textContent = 'No frame now: try again';
    });
    return el('div', { class: 'popup', 'data-camera-id': camera.id },
      el('h3', {}, camera.name || camera.id),
      details([
        ['id', camera.id], ['state', camera.state], ['grade', camera.grade], ['fps', camera.fps?.toFixed(1)],
        ['node', camera.nodeId ?? 'none'], ['grid', camera.gridId], ['kind', camera.kind], ['last frame', time(camera.lastFrameAt)],
      ]),
      button, image);
  }

  #fit() {
    if (this.#userMoved) return;
    const bounds = L.latLngBounds([]);
    if (this.#grids.getLayers().length > 0) bounds.extend(this.#grids.getBounds());
    for (const marker of this.#cameras.values()) bounds.extend(marker.getLatLng());
    if (!bounds.isValid()) return;
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) this.#map.setView(bounds.getCenter(), 17);
    else this.#map.fitBounds(bounds, { padding: [24, 24], maxZoom: 18 });
  }
}
