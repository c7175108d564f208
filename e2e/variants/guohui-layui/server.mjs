// 国惠健康, a layui admin shell whose work area is an <iframe> tab (see public/views/cashier.js).
// `broken: true` is the same site where the cashier page has no 小票号 (store order number) field.
import { fileURLToPath } from 'node:url';
import { createSpaVariant } from '../common/backend.mjs';

/** @param {{ broken?: boolean }} [options] */
export function createGuohuiLayui({ broken = false } = {}) {
  return createSpaVariant({
    id: broken ? 'guohui-broken' : 'guohui-layui',
    portal: 'guohui',
    staticDir: fileURLToPath(new URL('./public/', import.meta.url)),
    orderPrefix: 'GH',
    requireStoreOrderNo: true,
    noStoreOrderNo: broken,
  });
}
