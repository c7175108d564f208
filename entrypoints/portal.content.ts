import { portalMatchPatterns } from '@/providers/registry';
import { startPortalPage } from '@/content-scripts/portal-page';

export default defineContentScript({
  matches: portalMatchPatterns,
  // document_start: the scan listener must be in place before the page's own key handlers.
  runAt: 'document_start',
  // 员福好管家's pay form sits in a same-origin iframe.
  allFrames: true,
  main: (ctx) => startPortalPage(ctx.signal),
});
