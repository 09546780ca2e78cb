// The pages that list devices: "Sensors" and "Controllers" for the platform configurer (and
// admin), with types and create forms; "Live data" for every other role, to pick a device.

import { listAll } from './api.js';
import { h, heading } from './dom.js';
import { KINDS } from './devices.js';
import { instanceForm, instanceList } from './instances.js';
import { typesPanel } from './types.js';

export function renderSensorsPage(view, pg) {
  renderCatalog(view, pg, 'sensor', 'Sensor types, and the instances that send readings. Open an instance to watch it live.');
}

export function renderControllersPage(view, pg) {
  renderCatalog(view, pg, 'controller', 'Controller types, and the instances that take commands. Open an instance to command it.');
}

function renderCatalog(view, pg, kind, blurb) {
  const k = KINDS[kind];
  const list = instanceList(kind, pg);
  const form = instanceForm(kind, pg, () => list.load());
  const types = typesPanel(kind, pg, (all) => {
    list.setTypes(all);
    form.setTypes(all);
  });
  view.append(h('section', { testid: `page-${k.section}` },
    heading(k.title, blurb),
    types.el,
    h('h3', {}, `${k.title.slice(0, -1)} instances`),
    list.el,
    form.el));
  types.load();
  list.load();
}

/** Every sensor and controller, read-only, each opening its live view. */
export function renderLiveData(view, pg) {
  const lists = ['sensor', 'controller'].map((kind) => [kind, instanceList(kind, pg)]);
  view.append(h('section', { testid: 'page-live' },
    heading('Live data', 'Pick a sensor to watch its readings live, or a controller to send it a command.'),
    lists.map(([kind, list]) => [h('h3', {}, KINDS[kind].title), list.el])));
  for (const [kind, list] of lists) {
    // the type filter just stays at "any type" if the types cannot be read; the list shows its own errors
    listAll(KINDS[kind].types).then((all) => pg.live() && list.setTypes(all)).catch(() => {});
    list.load();
  }
}
