// ~/.netrc credentials (the format curl and pip read): whitespace-separated
// tokens, `machine HOST login USER password PASS`, plus a `default` entry.

export interface Credentials {
  login: string;
  password: string;
}

export function parseNetrc(text: string): { machines: Map<string, Credentials>; fallback: Credentials | null } {
  const tokens = text.replace(/#[^\n]*/g, ' ').split(/\s+/).filter(Boolean);
  const machines = new Map<string, Credentials>();
  let fallback: Credentials | null = null;
  let current: { host: string | null; login: string; password: string } | null = null;
  const flush = () => {
    if (!current) return;
    const creds = { login: current.login, password: current.password };
    if (current.host === null) fallback = creds;
    else if (!machines.has(current.host)) machines.set(current.host, creds);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === 'machine' || token === 'default') {
      flush();
      current = { host: token === 'default' ? null : (tokens[++i] ?? '').toLowerCase(), login: '', password: '' };
    } else if (token === 'macdef') {
      // A macro runs to the next blank line, which tokenising has lost; skip to the next entry.
      flush();
      current = null;
      while (i + 1 < tokens.length && tokens[i + 1] !== 'machine' && tokens[i + 1] !== 'default') i++;
    } else if (current && (token === 'login' || token === 'password' || token === 'account')) {
      const value = tokens[++i] ?? '';
      if (token === 'login') current.login = value;
      if (token === 'password') current.password = value;
    }
  }
  flush();
  return { machines, fallback };
}
