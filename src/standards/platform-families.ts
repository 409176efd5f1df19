// The platform families ftready reports on. A family is what a user means by
// "a platform": one OS flavour and one CPU architecture. Many wheel platform
// tags map onto one family (manylinux1 ... manylinux_2_39 all serve linux-x86_64).

export type OsFlavour = 'linux' | 'musllinux' | 'macos' | 'windows' | 'ios' | 'android';

export interface PlatformFamily {
  id: string;
  os: OsFlavour;
  /** The architecture as it appears in wheel platform tags. */
  arch: string;
  /** Value of platform.machine() on this family, for PEP 508 markers. */
  machine: string;
}

const LINUX_ARCHES = ['x86_64', 'aarch64', 'i686', 'ppc64le', 's390x', 'armv7l', 'riscv64'];

const linux = (os: 'linux' | 'musllinux', arch: string): PlatformFamily => ({ id: `${os}-${arch}`, os, arch, machine: arch });

export const PLATFORM_FAMILIES: readonly PlatformFamily[] = [
  ...LINUX_ARCHES.map((a) => linux('linux', a)),
  ...LINUX_ARCHES.map((a) => linux('musllinux', a)),
  { id: 'macos-arm64', os: 'macos', arch: 'arm64', machine: 'arm64' },
  { id: 'macos-x86_64', os: 'macos', arch: 'x86_64', machine: 'x86_64' },
  { id: 'windows-amd64', os: 'windows', arch: 'amd64', machine: 'AMD64' },
  { id: 'windows-arm64', os: 'windows', arch: 'arm64', machine: 'ARM64' },
  { id: 'windows-x86', os: 'windows', arch: 'win32', machine: 'x86' },
  { id: 'ios-arm64', os: 'ios', arch: 'arm64_iphoneos', machine: 'arm64' },
  { id: 'ios-arm64-simulator', os: 'ios', arch: 'arm64_iphonesimulator', machine: 'arm64' },
  { id: 'ios-x86_64-simulator', os: 'ios', arch: 'x86_64_iphonesimulator', machine: 'x86_64' },
  { id: 'android-arm64_v8a', os: 'android', arch: 'arm64_v8a', machine: 'aarch64' },
  { id: 'android-armeabi_v7a', os: 'android', arch: 'armeabi_v7a', machine: 'armv7l' },
  { id: 'android-x86_64', os: 'android', arch: 'x86_64', machine: 'x86_64' },
  { id: 'android-x86', os: 'android', arch: 'x86', machine: 'i686' },
];

export const DEFAULT_PLATFORMS: readonly string[] = ['linux-x86_64', 'linux-aarch64', 'macos-arm64', 'macos-x86_64', 'windows-amd64'];

const BY_ID = new Map(PLATFORM_FAMILIES.map((f) => [f.id, f]));

export function platformFamily(id: string): PlatformFamily | undefined {
  return BY_ID.get(id);
}
