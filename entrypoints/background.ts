import { startBackground } from '@/shared/background/main';
import { installSecretStore } from '@/shared/background/secret';

export default defineBackground({
  type: 'module',
  main: () => {
    // before anything reads settings: the bridge secret comes from the vault, storage is narrowed
    void installSecretStore();
    startBackground();
  },
});
