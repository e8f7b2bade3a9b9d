// Every figure a bench run measures, by name, for its last line: `BENCH_JSON {…}`, one JSON object
// that a script compares between runs (and the README's performance table is made from).
const figures: Record<string, number | string> = {};

export function figure(name: string, value: number | string): void {
  figures[name] = typeof value === 'number' ? Math.round(value * 100) / 100 : value;
}

export function benchJson(): string {
  return `BENCH_JSON ${JSON.stringify(figures)}`;
}
