// The part of fs-native-extensions (kernel file locks, prebuilt for each platform) that the
// embedded store's folder lock uses; the package ships no types.
declare module 'fs-native-extensions' {
  /** Takes an exclusive lock on the whole file; false at once if another open file holds one. */
  export function tryLock(fd: number): boolean;
  export function unlock(fd: number): void;
}
