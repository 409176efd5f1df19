/** pip's default index. */
export const DEFAULT_INDEX_URL = 'https://pypi.org/simple/';
