// 员福好管家, an amount-only web cashier in an old Bootstrap 3 admin look (see public/index.html).
import { fileURLToPath } from 'node:url';
import { createSpaVariant } from '../common/backend.mjs';

export function createYuanfuBootstrap() {
  return createSpaVariant({
    id: 'yuanfu-bootstrap',
    portal: 'yuanfu',
    staticDir: fileURLToPath(new URL('./public/', import.meta.url)),
    orderPrefix: 'YB',
    requireStoreOrderNo: true,
  });
}
