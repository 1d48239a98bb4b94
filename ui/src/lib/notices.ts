/**
 * The open-source notices of the About dialog: what scripts/notices.mjs writes to
 * ui/src/generated/notices.json (loaded lazily), and the filter over it.
 */
import { t } from "../i18n";

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

/** "Rust crate" or "npm package", in the language in use. */
export function ecosystemLabel(e: NoticePackage["ecosystem"]): string {
  return e === "crate" ? t().about.crate : t().about.npm;
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

/** "612 libraries (606 Rust crates, 6 npm packages)" in the language in use. */
export function noticesSummary(packages: readonly NoticePackage[]): string {
  const crates = packages.filter((p) => p.ecosystem === "crate").length;
  return t().about.summary({ total: packages.length, crates, npm: packages.length - crates });
}
