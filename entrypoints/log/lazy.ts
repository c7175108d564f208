import { useEffect, useState } from 'preact/hooks';

/**
 * A module of the log page loaded when it is first needed (a chunk of its own: the charts'
 * uPlot, the export's writer), so the day view's first paint does not wait for it: null until it
 * has arrived. `wanted` false puts the load off.
 */
export function useLazyModule<T>(load: () => Promise<T>, wanted = true): T | null {
  const [loaded, setLoaded] = useState<T | null>(null);
  useEffect(() => {
    if (!wanted || loaded) return;
    let live = true;
    load().then(
      (module) => live && setLoaded(() => module),
      (error: unknown) => console.error('log page: a part of the page did not load', error),
    );
    return () => {
      live = false;
    };
  }, [wanted]);
  return loaded;
}
