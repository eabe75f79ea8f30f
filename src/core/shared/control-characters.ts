// One rule for all text that arrives at the edge: no control characters other than tab, CR and LF.
// Refused are the C0 controls U+0000-U+001F except \t \r \n, DEL (U+007F) and the C1 controls
// U+0080-U+009F (Unicode category Cc): none has a use in a registry's text, NUL is refused by
// PostgreSQL, and the others hide in logs, CSV and pages (U+0085 is a line break to some readers).

// eslint-disable-next-line no-control-regex -- matching control characters is this module's purpose
const refused = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Whether a text holds a refused control character. */
export function hasControlCharacter(text: string): boolean {
  return refused.test(text);
}

/**
 * Where a parsed JSON value holds a refused control character (in a string or a key, at any depth),
 * as a path like `selection.ranges.0`, or null. Walks with its own stack: nesting as deep as the
 * body limit allows cannot overflow the call stack.
 */
export function controlCharacterIn(value: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const here = next.value;
    if (typeof here === 'string') {
      if (hasControlCharacter(here)) return next.path || '(body)';
    } else if (typeof here === 'object' && here !== null) {
      for (const [key, item] of Object.entries(here)) {
        const path = next.path === '' ? key : `${next.path}.${key}`;
        if (hasControlCharacter(key)) return path.replace(new RegExp(refused, 'g'), '\uFFFD');
        stack.push({ value: item, path });
      }
    }
  }
  return null;
}
