import { render } from 'preact';
import { browser } from 'wxt/browser';
import { t } from '@/shared/i18n';
import { LogApp } from './LogApp';
import './style.css';

document.title = t('log_page_title');
document.documentElement.lang = browser.i18n.getUILanguage() || 'zh-CN';

const root = document.getElementById('app');
if (root) render(<LogApp />, root);
