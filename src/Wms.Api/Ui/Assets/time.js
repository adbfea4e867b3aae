// Times as people read them: in the browser's own time zone, with the same instant in UTC on hover.

const dateAndTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function nowSeconds() {
  return Date.now() / 1000;
}

/** "2026-12-07 10:00:00 UTC". */
export function utcText(seconds) {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** The local date and time. */
export function localText(seconds) {
  return dateAndTime.format(new Date(seconds * 1000));
}

/** A short local label for an axis: the time of day, with the day when the axis spans more than one. */
export function axisText(seconds, span) {
  const date = new Date(seconds * 1000);
  return span > 20 * 3600 ? shortDate.format(date) : timeOnly.format(date);
}

/** A <time> element: local text, machine-readable datetime, UTC on hover. */
export function timeElement(seconds) {
  const time = document.createElement('time');
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    time.textContent = '—';
    return time;
  }
  time.dateTime = new Date(seconds * 1000).toISOString();
  time.title = utcText(seconds);
  time.textContent = localText(seconds);
  return time;
}

/** "42 s", "19 min", "2 h 5 min", "3 d 4 h". */
export function durationText(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
