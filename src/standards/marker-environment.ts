import { fullVersion, type Interpreter } from './interpreters.js';
import type { MarkerEnvironment } from './markers.js';
import type { OsFlavour, PlatformFamily } from './platform-families.js';

// The PEP 508 marker values a CPython interpreter reports on each family.
// platform_release and platform_version depend on the exact machine, so they
// are left unset: markers that read them count as true.

const OS_VALUES: Record<OsFlavour, { sys_platform: string; platform_system: string; os_name: string }> = {
  linux: { sys_platform: 'linux', platform_system: 'Linux', os_name: 'posix' },
  musllinux: { sys_platform: 'linux', platform_system: 'Linux', os_name: 'posix' },
  macos: { sys_platform: 'darwin', platform_system: 'Darwin', os_name: 'posix' },
  windows: { sys_platform: 'win32', platform_system: 'Windows', os_name: 'nt' },
  ios: { sys_platform: 'ios', platform_system: 'iOS', os_name: 'posix' },
  android: { sys_platform: 'android', platform_system: 'Android', os_name: 'posix' },
};

export function markerEnvironment(interp: Interpreter, family: PlatformFamily): MarkerEnvironment {
  const full = fullVersion(interp);
  return {
    ...OS_VALUES[family.os],
    platform_machine: family.machine,
    python_version: `3.${interp.minor}`,
    python_full_version: full,
    implementation_name: 'cpython',
    implementation_version: full,
    platform_python_implementation: 'CPython',
  };
}
