import { startBackground } from '@/shared/background/main';

export default defineBackground({ type: 'module', main: startBackground });
