// Whether a parsed JSON value nests at most `max` arrays and objects deep, walked with its own stack
// (a body as deep as the size limit allows cannot overflow the call stack), before anything that
// recurses over it (canonical JSON) runs.
export function jsonDepthAtMost(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > max) return false;
    const children = Array.isArray(next.value) ? next.value : Object.values(next.value);
    for (const child of children) stack.push({ value: child, depth });
  }
  return true;
}
