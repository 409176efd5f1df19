// Splitting a call's arguments or an initialiser's items: at the commas
// outside any bracket, up to the bracket that closes the list.

/**
 * The [start, end) of each comma-separated piece of [from, to) of the code,
 * counting only commas outside brackets; a closing bracket that was not
 * opened inside ends the list there (the `)` of the call around it).
 */
export function topLevelPieces(code: string, from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const c = code.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (--depth < 0) {
        out.push([start, i]);
        return out;
      }
    } else if (c === 44 && depth === 0) {
      out.push([start, i]);
      start = i + 1;
    }
  }
  out.push([start, to]);
  return out;
}
