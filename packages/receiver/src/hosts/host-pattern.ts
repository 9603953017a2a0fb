/** A host name or `*.example.com`, lower case, or undefined when it is neither. */
export function hostPattern(text: string): string | undefined {
  const host = text.trim().toLowerCase().replace(/\.$/, "");
  if (host.length === 0 || host.length > 253) return undefined;
  return /^(\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/.test(host)
    ? host
    : undefined;
}
