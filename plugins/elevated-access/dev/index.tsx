import { createDevApp } from '@backstage/dev-utils';
import { elevatedAccessPlugin, ElevatedAccessPage } from '../src/plugin';

createDevApp()
  .registerPlugin(elevatedAccessPlugin)
  .addPage({
    element: <ElevatedAccessPage />,
    title: 'Elevated access',
    path: '/elevated-access',
  })
  .render();
