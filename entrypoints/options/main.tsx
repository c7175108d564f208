import { render } from 'preact';
import { browser } from 'wxt/browser';
import { t } from '@/shared/i18n';
import { OptionsApp } from './OptionsApp';
import './style.css';

document.title = t('opt_page_title');
document.documentElement.lang = browser.i18n.getUILanguage() || 'zh-CN';

const root = document.getElementById('app');
if (root) render(<OptionsApp />, root);
