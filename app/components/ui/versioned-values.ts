/** The merge rules of a versioned edit (versioned-edit.tsx), apart from React so they are easy to test. */

// Values are strings, booleans or small objects and lists (a coded condition, contacts): compared as JSON.
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Only the fields the user changed: a save never rewrites what someone else changed meanwhile. */
export function changedValues<V extends Record<string, unknown>>(base: V, values: V): Partial<V> {
  const out: Partial<V> = {};
  for (const key of Object.keys(values) as (keyof V)[]) if (!same(values[key], base[key])) out[key] = values[key];
  return out;
}

/**
 * Their saved version under what the user typed: the fields the user changed (from `base`) keep
 * the user's values, the others take theirs.
 */
export function rebaseValues<V extends Record<string, unknown>>(base: V, theirs: V, mine: V): V {
  return { ...theirs, ...changedValues(base, mine) };
}
