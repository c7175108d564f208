// 员福好管家, an Element look with dialogs appended to <body> (see public/app.js).
import { fileURLToPath } from 'node:url';
import { createSpaVariant } from '../common/backend.mjs';

export function createYuanfuEui2() {
  return createSpaVariant({
    id: 'yuanfu-eui2',
    portal: 'yuanfu',
    staticDir: fileURLToPath(new URL('./public/', import.meta.url)),
    orderPrefix: 'YF',
    requireStoreOrderNo: true,
  });
}
