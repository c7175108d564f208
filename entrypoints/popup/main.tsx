import { render } from 'preact';
import { PopupApp } from '@/shared/ui/PopupApp';

const root = document.getElementById('app');
if (root) render(<PopupApp />, root);
