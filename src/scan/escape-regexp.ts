/** Text to match literally inside a RegExp built from names found in a file. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
