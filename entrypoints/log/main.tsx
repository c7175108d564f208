import { render } from 'preact';
import { browser } from 'wxt/browser';
import { t } from '@/shared/i18n';
import { fromUrl, LogApp } from './LogApp';
import { monthEnd } from './MonthView';
import { prefetchWindow } from './prefetch';
import './style.css';

// marks (tb:*) of the page's start-up, read by scripts/bench-daylog.mjs
performance.mark('tb:main');
// the view's records, read while the settings load and the page first renders
const view = fromUrl();
if (view.tab === 'day') prefetchWindow(view.day, view.day);
else if (view.tab === 'month') prefetchWindow(`${view.month}-01`, monthEnd(view.month));

document.title = t('log_page_title');
document.documentElement.lang = browser.i18n.getUILanguage() || 'zh-CN';

const root = document.getElementById('app');
if (root) render(<LogApp />, root);
