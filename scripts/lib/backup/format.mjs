// What the scripts print: sizes, durations and counts a person reads at a glance.
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function humanSize(bytes) {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function count(n) {
  return n.toLocaleString('en-US');
}
