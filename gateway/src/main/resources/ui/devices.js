// What sensors and controllers have in common in the console: their routes, names and how an
// instance is described in one line.

/** The two kinds of device, as the API and the console name them. */
export const KINDS = {
  sensor: {
    kind: 'sensor',
    section: 'sensors',
    title: 'Sensors',
    noun: 'sensor',
    types: '/api/v1/sensor-types',
    instances: '/api/v1/sensor-instances',
  },
  controller: {
    kind: 'controller',
    section: 'controllers',
    title: 'Controllers',
    noun: 'controller',
    types: '/api/v1/controller-types',
    instances: '/api/v1/controller-instances',
  },
};

/** The console link of one instance: #/sensors/{id} or #/controllers/{id}. */
export function detailHref(kind, id) {
  return `#/${KINDS[kind].section}/${encodeURIComponent(id)}`;
}

export function instancePath(kind, id) {
  return `${KINDS[kind].instances}/${encodeURIComponent(id)}`;
}

export function typePath(kind, name) {
  return `${KINDS[kind].types}/${encodeURIComponent(name)}`;
}

/** "Lab 2 · 45.0703, 7.6869" */
export function locationText(location) {
  if (!location) return '';
  const coords = location.lat != null ? ` · ${location.lat}, ${location.lon}` : '';
  return location.label + coords;
}

/** "random every 200 ms", or null when the platform does not simulate the instance. */
export function simulatorText(simulator) {
  return simulator ? `${simulator.kind} every ${simulator.intervalMs} ms` : null;
}

export function attributeTexts(attributes) {
  return Object.entries(attributes || {}).map(([k, v]) => `${k}=${v}`);
}

/** "thermometer(celsius: number, humidity: number)" parts, for a type's fields or params. */
export function specTexts(specs) {
  return (specs || []).map((s) => `${s.name}: ${s.type}`);
}

export const isNumeric = (field) => field.type === 'number' || field.type === 'integer';
