const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in the business time zone, as 'YYYY-MM-DD'. */
export function businessDate(instant: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA formats dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(instant);
}
