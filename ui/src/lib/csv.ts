/** CSV for spreadsheets (RFC 4180): quoted where needed, formulas defused. */

/**
 * One field: quoted when it holds a comma, quote or line break. A leading `=`, `+`, `-`, `@`, tab or
 * carriage return gets a quote mark in front, so a spreadsheet shows the text instead of running it as a formula
 * (negative numbers are passed as numbers, not text, and keep their sign).
 */
export function csvField(value: string | number): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows (the first is the header) as CSV text with CRLF line ends. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return rows.map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}
