/**
 * The open-source notices of the About dialog: what scripts/notices.mjs writes to
 * ui/src/generated/notices.json (loaded lazily), and the filter over it.
 */

/** One licence or notice file of a package; `text` indexes `NoticesFile.texts`. */
export interface NoticeText {
  file: string;
  text: number;
}

export interface NoticePackage {
  ecosystem: "crate" | "npm";
  name: string;
  version: string;
  /** The licence expression the package declares (SPDX, e.g. "MIT OR Apache-2.0"). */
  licence: string;
  /** Its licence and notice files, when it ships any. */
  texts?: NoticeText[];
  /** Where its licence text is when it ships none ("licence text: see <repository>"). */
  note?: string;
}

export interface NoticesFile {
  format: number;
  generatedBy: string;
  packages: NoticePackage[];
  /** Every distinct licence or notice text, once. */
  texts: string[];
}

/** "Rust crate" or "npm package". */
export function ecosystemLabel(e: NoticePackage["ecosystem"]): string {
  return e === "crate" ? "Rust crate" : "npm package";
}

/**
 * The packages matching `query`: every word of it must be found in the name, version, licence or
 * kind of package (case does not matter). An empty query matches all.
 */
export function filterNotices(packages: readonly NoticePackage[], query: string): NoticePackage[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...packages];
  return packages.filter((p) => {
    const hay = `${p.name} ${p.version} ${p.licence} ${ecosystemLabel(p.ecosystem)} ${p.ecosystem}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** "612 libraries (606 Rust crates, 6 npm packages)". */
export function noticesSummary(packages: readonly NoticePackage[]): string {
  const crates = packages.filter((p) => p.ecosystem === "crate").length;
  const npm = packages.length - crates;
  const n = (k: number, one: string, many: string): string => `${k} ${k === 1 ? one : many}`;
  return `${n(packages.length, "library", "libraries")} (${n(crates, "Rust crate", "Rust crates")}, ${n(npm, "npm package", "npm packages")})`;
}
