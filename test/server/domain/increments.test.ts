import { billedSeconds } from '../../../server/src/domain/rating/increments';

const per = (first: number, next: number) => ({ first, next });

describe('billing increments first/next (DOMAIN.md model 1)', () => {
  test('a 90-second call on per-second billing (1/1) is billed 90 seconds, 1.5 minutes', () => {
    expect(billedSeconds(90, per(1, 1), true)).toBe(90);
  });
  test('a 61-second call on 30/30 increments bills 90 seconds', () => {
    expect(billedSeconds(61, per(30, 30), true)).toBe(90);
  });
  test('a 60-second call on 30/30 bills 60 seconds; a 10-second call bills 30', () => {
    expect(billedSeconds(60, per(30, 30), true)).toBe(60);
    expect(billedSeconds(10, per(30, 30), true)).toBe(30);
  });
  test('60/60 rounds every started minute up: 61 s bills 120 s', () => {
    expect(billedSeconds(61, per(60, 60), true)).toBe(120);
    expect(billedSeconds(59, per(60, 60), true)).toBe(60);
  });
  test('60/1 bills a first minute, then per second: 61 s bills 61 s, 20 s bills 60 s', () => {
    expect(billedSeconds(61, per(60, 1), true)).toBe(61);
    expect(billedSeconds(20, per(60, 1), true)).toBe(60);
  });
  test('30/6 bills 30 s first, then 6-second steps: 31 s bills 36 s, 37 s bills 42 s', () => {
    expect(billedSeconds(31, per(30, 6), true)).toBe(36);
    expect(billedSeconds(37, per(30, 6), true)).toBe(42);
    expect(billedSeconds(30, per(30, 6), true)).toBe(30);
  });
  test('a fractional duration is rounded up to whole seconds first: 60.2 s on 1/1 bills 61 s', () => {
    expect(billedSeconds(60.2, per(1, 1), true)).toBe(61);
  });
  test('an unanswered call bills nothing, whatever its duration', () => {
    expect(billedSeconds(45, per(30, 30), false)).toBe(0);
    expect(billedSeconds(0, per(1, 1), false)).toBe(0);
  });
  test('an answered call of d <= first bills first, even at 0 seconds', () => {
    expect(billedSeconds(0, per(30, 30), true)).toBe(30);
  });
});
