// 如医通, Element look with an el-steps wizard, the seed's own words (see public/app.js).
// `expired: true` serves the same pages with the store's session expired (every API call 401).
import { fileURLToPath } from 'node:url';
import { createSpaVariant } from '../common/backend.mjs';

/** @param {{ expired?: boolean }} [options] */
export function createRuyitongEui2({ expired = false } = {}) {
  return createSpaVariant({
    id: expired ? 'ruyitong-expired' : 'ruyitong-eui2',
    portal: 'ruyitong',
    staticDir: fileURLToPath(new URL('./public/', import.meta.url)),
    orderPrefix: 'RY',
    requireStoreOrderNo: true,
    expired,
  });
}
