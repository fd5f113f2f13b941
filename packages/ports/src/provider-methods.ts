/** A provider's methods, own and inherited (what a registry serves for it). */
export function providerMethodNames(impl: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = impl; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(o, name)?.value === 'function') names.add(name);
    }
  }
  return [...names];
}
