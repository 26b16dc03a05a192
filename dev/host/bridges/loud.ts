import type { Workspace } from '../workspace';

// Properties the engine or JavaScript itself probes on any object; answering them with a thrower would break it.
const PASS_THROUGH = new Set(['then', 'constructor', 'toJSON', 'inspect', 'asymmetricMatch', 'nodeType', '$$typeof']);

/**
 * Casts an abstract bridge class to a constructible one that keeps only its public (`do*`) methods in the type:
 * a subclass implements the protected methods it supports, and `loud` supplies a thrower for the rest.
 */
export function base<T>(cls: abstract new () => T): new () => Pick<T, keyof T> {
  return cls as unknown as new () => Pick<T, keyof T>;
}

/**
 * Wraps a bridge so that any method it does not implement throws `host: <Bridge>.<method> not implemented`
 * (and is recorded in the workspace's gaps, since the engine sometimes swallows bridge errors).
 */
export function loud<T extends object>(bridge: T, name: string, ws: Workspace): T {
  return new Proxy(bridge, {
    get(target, prop, receiver) {
      if (typeof prop !== 'string' || prop in target || PASS_THROUGH.has(prop)) {
        return Reflect.get(target, prop, receiver) as unknown;
      }
      return () => {
        const message = `host: ${name}.${prop} not implemented`;
        ws.gap(message);
        throw new Error(message);
      };
    },
  });
}
