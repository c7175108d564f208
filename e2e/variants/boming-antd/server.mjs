// 博明卡, an Ant Design look in React (see public/app.js).
import { fileURLToPath } from 'node:url';
import { createSpaVariant } from '../common/backend.mjs';

export function createBomingAntd() {
  return createSpaVariant({
    id: 'boming-antd',
    portal: 'boming',
    staticDir: fileURLToPath(new URL('./public/', import.meta.url)),
    orderPrefix: 'BM',
    requireStoreOrderNo: true,
  });
}
