// Calling an app's callbacks: one that throws is reported and does not stop the others.

/**
 * Calls every listener in `listeners` (a copy, so a listener may unsubscribe) with `args`.
 * @template {unknown[]} Args
 * @param {Iterable<(...args: Args) => void>} listeners
 * @param {Args} args
 * @param {string} name the callback's name, for the console
 */
export function notifyAll(listeners, args, name) {
  for (const listener of [...listeners]) {
    try {
      listener(...args);
    } catch (error) {
      console.error(`byoky: an ${name} callback threw`, error);
    }
  }
}
