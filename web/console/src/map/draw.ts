import './leaflet-global';
import '@geoman-io/leaflet-geoman-free';
import '@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css';
import L from 'leaflet';
import { ApiError, call, isAbort } from '../api';
import { confirmBox } from '../confirm';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { lang, t, tCode } from '../i18n';
import { errorText } from '../page';
import { fenceInput, fenceProblems, fieldsOf, maxRadiusM, maxNameLength, maxSpeedKmh, minSpeedKmh, type Drawn, type FenceFields } from './draw-core';
import { fenceKinds, fenceStyle, type FenceLayer, type Geofence } from './fences';

// Drawing and editing geofences, for the roles that may write them (the server checks
// geofences.write). leaflet-geoman does the map side: a new circle is a click on the centre and
// a second click for the radius, a new polygon is clicks on its vertices closed by a click on
// the first one or a double click; an existing fence gets vertex and radius handles. The side
// panel holds the buttons (#fence-new-circle, #fence-new-polygon), the map a form (#fence-form):
// save sends POST or PUT /api/geofences, delete sends DELETE after a confirmation, and the
// fences are loaded again after either. This module is loaded only for those roles.

type Shape = L.Circle | L.Polygon;

// A polygon keeps at least three vertices (geoman would otherwise drop the whole layer), and is
// moved by its handles, not dragged whole.
const editOptions: L.PM.EditModeOptions = { allowSelfIntersection: false, draggable: false, snappable: false, removeLayerBelowMinVertexCount: false };

interface Editing {
  fence: Geofence | null; // null: a new one
  layer: Shape;
}

export interface FenceEditorOptions {
  map: L.Map;
  renderer: L.Renderer;
  signal: AbortSignal;
  fences: FenceLayer;
  /** Vehicles for a parking point's "designated for" select, by plate. */
  vehicles: () => { id: number; plate: string }[];
}

export class FenceEditor {
  private readonly map: L.Map;
  private readonly newCircle: HTMLButtonElement;
  private readonly newPolygon: HTMLButtonElement;
  private readonly hint: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly title: HTMLElement;
  private readonly shapeInfo: HTMLElement;
  private readonly message: HTMLElement;
  private readonly name: HTMLInputElement;
  private readonly kind: HTMLSelectElement;
  private readonly speed: HTMLInputElement;
  private readonly vehicle: HTMLSelectElement;
  private readonly vehicleRow: HTMLElement;
  private readonly deleteBtn: HTMLButtonElement;
  private readonly saveBtn: HTMLButtonElement;
  private drawing: 'Circle' | 'Polygon' | null = null;
  private editing: Editing | null = null;
  private busy = false;

  constructor(private readonly o: FenceEditorOptions) {
    const map = (this.map = o.map);
    // The map (and the fences) were made before this module loaded geoman, whose init hooks
    // only reach what is made after it.
    if (!map.pm) L.PM.reInitLayer(map as unknown as L.Layer);
    map.pm.setLang(lang() === 'en' ? 'en' : 'zh');
    map.pm.setGlobalOptions({
      snappable: false,
      allowSelfIntersection: false,
      finishOn: 'dblclick',
      maxRadiusCircle: maxRadiusM,
      continueDrawing: false,
      templineStyle: { color: '#b3261e', renderer: o.renderer },
      hintlineStyle: { color: '#b3261e', dashArray: [5, 5], renderer: o.renderer },
      pathOptions: { ...fenceStyle('area'), renderer: o.renderer },
    });

    this.newCircle = h('button', { type: 'button', id: 'fence-new-circle', class: 'btn small', onclick: () => this.startDraw('Circle') }, t('map.fenceNewCircle'));
    this.newPolygon = h('button', { type: 'button', id: 'fence-new-polygon', class: 'btn small', onclick: () => this.startDraw('Polygon') }, t('map.fenceNewPolygon'));
    this.hint = h('p', { id: 'fence-hint', class: 'fence-hint muted', hidden: true });

    const field = (name: string, label: string, control: HTMLElement) =>
      h('div', { class: 'field', 'data-field': name }, h('label', { for: control.id }, label), control, h('small', { class: 'field-error' }));
    this.name = h('input', { type: 'text', id: 'fence-name', name: 'name', maxlength: maxNameLength, required: true, autocomplete: 'off' });
    this.kind = h(
      'select',
      { id: 'fence-kind', name: 'kind', onchange: () => this.kindChanged() },
      fenceKinds.map((k) => h('option', { value: k }, tCode('fenceKind', k))),
    );
    this.speed = h('input', { type: 'number', id: 'fence-speed', name: 'speed_limit_kmh', min: minSpeedKmh, max: maxSpeedKmh, step: 1, inputmode: 'numeric', placeholder: t('map.fenceSpeedNone') });
    this.vehicle = h('select', { id: 'fence-vehicle', name: 'vehicle_id' });
    this.vehicleRow = field('vehicle_id', t('map.fenceVehicle'), this.vehicle);
    this.message = h('div', { id: 'fence-error', class: 'form-error', role: 'alert', hidden: true });
    this.title = h('h3', { class: 'fence-form-title' });
    this.shapeInfo = h('p', { id: 'fence-shape', class: 'muted fence-shape', 'data-field': 'polygon' });
    this.deleteBtn = h('button', { type: 'button', id: 'fence-delete', class: 'btn small danger', onclick: () => void this.remove() }, t('common.delete'));
    this.saveBtn = h('button', { type: 'submit', id: 'fence-save', class: 'btn small primary' }, t('common.save'));
    this.form = h(
      'form',
      { id: 'fence-form', class: 'fence-form', novalidate: true, hidden: true },
      this.title,
      this.shapeInfo,
      this.message,
      field('name', t('map.fenceName'), this.name),
      field('kind', t('map.fenceKind'), this.kind),
      field('speed_limit_kmh', t('map.fenceSpeed'), this.speed),
      this.vehicleRow,
      h(
        'div',
        { class: 'fence-actions' },
        this.deleteBtn,
        h('button', { type: 'button', id: 'fence-cancel', class: 'btn small', onclick: () => void this.cancel() }, t('common.cancel')),
        this.saveBtn,
      ),
    );
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.save();
    });
    o.fences.tools.replaceChildren(h('div', { class: 'fence-buttons' }, this.newCircle, this.newPolygon), this.hint);
    // The form floats over the map, beside the shape being drawn or edited.
    const box = h('div', { class: 'fence-form-box' }, this.form);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    const FormControl = L.Control.extend({ onAdd: () => box });
    new FormControl({ position: 'topright' }).addTo(map);
    o.fences.fitRight = 290;

    map.on('pm:create', (e) => this.created(e.layer as Shape));
    map.on('pm:drawend', () => this.drawEnded());
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key === 'Escape' && this.drawing) this.stopDraw();
    };
    document.addEventListener('keydown', onKey);
    o.signal.addEventListener('abort', () => {
      document.removeEventListener('keydown', onKey);
      this.stopDraw();
    });
  }

  /** isDrawing tells the page to leave map clicks to the drawing tool. */
  isDrawing(): boolean {
    return this.drawing !== null;
  }

  /** pick offers an existing fence for editing (a click on it or on its list entry). */
  pick(f: Geofence, layer: Shape): void {
    if (this.drawing) return;
    if (this.editing) {
      if (this.editing.fence?.id === f.id) return;
      flash(t('map.fenceBusy'), 'error');
      return;
    }
    this.o.fences.mark(f.id);
    if (!layer.pm) L.PM.reInitLayer(layer);
    layer.pm.enable(editOptions);
    this.begin({ fence: f, layer }, fieldsOf(f));
  }

  private startDraw(shape: 'Circle' | 'Polygon'): void {
    if (this.drawing === shape) {
      this.stopDraw();
      return;
    }
    if (this.editing) {
      flash(t('map.fenceBusy'), 'error');
      return;
    }
    this.stopDraw();
    this.drawing = shape;
    this.map.pm.enableDraw(shape);
    this.newCircle.classList.toggle('active', shape === 'Circle');
    this.newPolygon.classList.toggle('active', shape === 'Polygon');
    this.newCircle.setAttribute('aria-pressed', String(shape === 'Circle'));
    this.newPolygon.setAttribute('aria-pressed', String(shape === 'Polygon'));
    this.hint.textContent = t(shape === 'Circle' ? 'map.fenceHintCircle' : 'map.fenceHintPolygon');
    this.hint.hidden = false;
  }

  private stopDraw(): void {
    if (this.drawing) this.map.pm.disableDraw();
    this.drawEnded();
  }

  private drawEnded(): void {
    this.drawing = null;
    for (const b of [this.newCircle, this.newPolygon]) {
      b.classList.remove('active');
      b.setAttribute('aria-pressed', 'false');
    }
    this.hint.hidden = true;
  }

  private created(layer: Shape): void {
    this.drawEnded();
    layer.pm.enable(editOptions);
    this.begin({ fence: null, layer }, { name: '', kind: 'area', speed: '', vehicle: '' });
  }

  /** begin shows the form for a drawn or picked shape. */
  private begin(e: Editing, fields: FenceFields): void {
    this.editing = e;
    this.title.textContent = e.fence ? t('map.fenceEdit', { name: e.fence.name }) : t('map.fenceNew');
    this.form.dataset.mode = e.fence ? 'edit' : 'create';
    if (e.fence) this.form.dataset.fenceId = String(e.fence.id);
    else delete this.form.dataset.fenceId;
    this.name.value = fields.name;
    this.kind.value = fields.kind;
    this.speed.value = fields.speed;
    this.fillVehicles(fields.vehicle);
    this.kindChanged();
    this.deleteBtn.hidden = !e.fence;
    this.clearProblems();
    this.describeShape();
    e.layer.on('pm:change pm:edit', this.describeShape);
    this.newCircle.disabled = this.newPolygon.disabled = true;
    this.form.hidden = false;
    this.name.focus();
  }

  /** end leaves the form; the fences are reloaded so that a cancelled edit is undone. */
  private async end(reload: boolean): Promise<void> {
    const e = this.editing;
    this.editing = null;
    this.form.hidden = true;
    this.newCircle.disabled = this.newPolygon.disabled = false;
    this.o.fences.mark(null);
    if (e) {
      e.layer.off('pm:change pm:edit', this.describeShape);
      e.layer.pm.disable();
      if (!e.fence) e.layer.remove();
    }
    if (reload) await this.reload();
  }

  private async reload(): Promise<void> {
    try {
      await this.o.fences.load();
    } catch (err) {
      if (!isAbort(err)) flash(errorText(err), 'error');
    }
  }

  private async cancel(): Promise<void> {
    if (this.busy) return;
    await this.end(!!this.editing?.fence);
  }

  private drawn(layer: Shape): Drawn {
    if (layer instanceof L.Circle) {
      const c = layer.getLatLng();
      return { shape: 'circle', center: [c.lat, c.lng], radiusM: layer.getRadius() };
    }
    const rings = layer.getLatLngs() as L.LatLng[][] | L.LatLng[];
    const ring = (Array.isArray(rings[0]) ? rings[0] : rings) as L.LatLng[];
    return { shape: 'polygon', points: ring.map((p) => [p.lat, p.lng]) };
  }

  private readonly describeShape = (): void => {
    const e = this.editing;
    if (!e) return;
    const d = this.drawn(e.layer);
    this.shapeInfo.textContent =
      d.shape === 'circle' ? t('map.fenceCircleInfo', { radius: Math.round(d.radiusM) }) : t('map.fencePolygonInfo', { n: d.points.length });
  };

  private async save(): Promise<void> {
    const e = this.editing;
    if (!e || this.busy) return;
    this.clearProblems();
    const fields: FenceFields = { name: this.name.value, kind: this.kind.value, speed: this.speed.value, vehicle: this.vehicle.value };
    const body = fenceInput(fields, this.drawn(e.layer));
    const problems = fenceProblems(body);
    if (Object.keys(problems).length) {
      this.showProblems(new ApiError(400, 'invalid', t('error.invalid'), problems));
      return;
    }
    this.busy = true;
    this.saveBtn.disabled = true;
    this.saveBtn.textContent = t('common.saving');
    try {
      const saved = e.fence
        ? await call<Geofence>('PUT', `/api/geofences/${e.fence.id}`, body, { signal: this.o.signal })
        : await call<Geofence>('POST', '/api/geofences', body, { signal: this.o.signal });
      await this.end(true);
      if (saved?.id) this.o.fences.mark(saved.id);
      flash(t('common.saved'));
    } catch (err) {
      if (!isAbort(err)) this.showProblems(err);
    } finally {
      this.busy = false;
      this.saveBtn.disabled = false;
      this.saveBtn.textContent = t('common.save');
    }
  }

  private async remove(): Promise<void> {
    const f = this.editing?.fence;
    if (!f || this.busy) return;
    const ok = await confirmBox(t('common.confirmDelete', { noun: t('noun.fence'), name: f.name }), t('common.delete'), this.o.signal);
    if (!ok || this.editing?.fence?.id !== f.id) return;
    this.busy = true;
    try {
      await call<void>('DELETE', `/api/geofences/${f.id}`, undefined, { signal: this.o.signal });
      this.busy = false;
      await this.end(true);
      flash(t('common.deleted'));
    } catch (err) {
      if (!isAbort(err)) this.showProblems(err);
    } finally {
      this.busy = false;
    }
  }

  private kindChanged(): void {
    const parking = this.kind.value === 'parking';
    this.vehicleRow.hidden = !parking;
    this.vehicle.disabled = !parking;
  }

  private fillVehicles(current: string): void {
    const vs = [...this.o.vehicles()].sort((a, b) => a.plate.localeCompare(b.plate, 'zh-CN'));
    replace(
      this.vehicle,
      h('option', { value: '' }, t('map.fenceAllVehicles')),
      // Keep a vehicle the list does not know instead of losing it.
      current && !vs.some((v) => String(v.id) === current) && h('option', { value: current }, `#${current}`),
      vs.map((v) => h('option', { value: String(v.id) }, v.plate)),
    );
    this.vehicle.value = current;
  }

  private clearProblems(): void {
    this.message.hidden = true;
    this.message.replaceChildren();
    for (const row of this.form.querySelectorAll('.field.invalid')) {
      row.classList.remove('invalid');
      row.querySelector('.field-error')!.textContent = '';
    }
  }

  private showProblems(err: unknown): void {
    const lines: string[] = [];
    if (err instanceof ApiError && err.status === 400 && Object.keys(err.fields).length) {
      lines.push(err.message || t('error.invalid'));
      for (const [name, problem] of Object.entries(err.fields)) {
        const row = this.form.querySelector<HTMLElement>(`.field[data-field="${CSS.escape(name)}"]`);
        const text = tCode('field', problem);
        if (row) {
          row.classList.add('invalid');
          row.querySelector('.field-error')!.textContent = text;
        } else {
          lines.push(`${tCode('fenceField', name)}: ${text}`);
        }
      }
    } else {
      lines.push(errorText(err));
    }
    this.message.replaceChildren(...lines.map((l) => h('div', null, l)));
    this.message.hidden = false;
  }
}
