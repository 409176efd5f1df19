import { memoize } from './memoize.js';
import { PLATFORM_FAMILIES, type PlatformFamily } from './platform-families.js';

// Maps one wheel platform tag to the families whose installers accept it.
// Versions inside tags (glibc 2.17, macOS 11.0, Android API 24) narrow which
// machines of a family accept the wheel, but do not change the family.

export interface PlatformTagInfo {
  tag: string;
  /** Family ids that accept this tag; "any" accepts every family. */
  families: string[];
  /** The same ids, for fast membership tests. */
  accepts: ReadonlySet<string>;
  /** True for the "any" tag. */
  any: boolean;
}

// Legacy manylinux aliases (PEP 513, 571, 599) and PEP 600 manylinux_X_Y.
const MANYLINUX = /^manylinux(1|2010|2014|_\d+_\d+)_(.+)$/;
const MUSLLINUX = /^musllinux_\d+_\d+_(.+)$/;
const PLAIN_LINUX = /^linux_(.+)$/;
const MACOS = /^macosx_\d+_\d+_(.+)$/;
const IOS = /^ios_\d+_\d+_(.+)$/;
const ANDROID = /^android_\d+_(.+)$/;
const WINDOWS: Record<string, string> = { win_amd64: 'amd64', win_arm64: 'arm64', win32: 'win32' };

// Which macOS binary formats an installer on each architecture accepts, as pip
// (packaging.tags) does: fat and universal binaries carry several architectures.
const MACOS_FORMATS: Record<string, string[]> = {
  arm64: ['arm64'],
  x86_64: ['x86_64'],
  universal2: ['arm64', 'x86_64'],
  intel: ['x86_64'],
  fat64: ['x86_64'],
  fat32: ['x86_64'],
  universal: ['x86_64'],
};

function ids(filter: (f: PlatformFamily) => boolean): string[] {
  return PLATFORM_FAMILIES.filter(filter).map((f) => f.id);
}

/** Memoised: few distinct platform tags, many wheels. */
export const parsePlatformTag: (tag: string) => PlatformTagInfo = memoize((tag) => {
  const families = familiesFor(tag);
  return { tag, families, accepts: new Set(families), any: tag === 'any' };
});

function familiesFor(tag: string): string[] {
  if (tag === 'any') return PLATFORM_FAMILIES.map((f) => f.id);
  let m: RegExpExecArray | null;
  if ((m = MANYLINUX.exec(tag))) return ids((f) => f.os === 'linux' && f.arch === m![2]);
  if ((m = MUSLLINUX.exec(tag))) return ids((f) => f.os === 'musllinux' && f.arch === m![1]);
  // A plain linux_ARCH wheel is accepted by pip on glibc and musl systems alike.
  if ((m = PLAIN_LINUX.exec(tag))) return ids((f) => (f.os === 'linux' || f.os === 'musllinux') && f.arch === m![1]);
  if ((m = MACOS.exec(tag))) {
    const arches = MACOS_FORMATS[m[1]!] ?? [];
    return ids((f) => f.os === 'macos' && arches.includes(f.arch));
  }
  if ((m = IOS.exec(tag))) return ids((f) => f.os === 'ios' && f.arch === m![1]);
  if ((m = ANDROID.exec(tag))) return ids((f) => f.os === 'android' && f.arch === m![1]);
  const win = WINDOWS[tag];
  if (win) return ids((f) => f.os === 'windows' && f.arch === win);
  return [];
}
