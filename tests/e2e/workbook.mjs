// Reads back an .xlsx the app exported, as the XML text of its first sheet and shared strings.
import { execFileSync } from 'node:child_process';

/** One file of a zip, as text: `unzip -p`, else Python's zipfile. */
function readZipEntry(file, entry) {
  try {
    return execFileSync('unzip', ['-p', file, entry], { encoding: 'utf8' });
  } catch {
    return execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode("utf-8"))', file, entry], { encoding: 'utf8' });
  }
}

/** The first sheet's XML and the shared strings' XML (empty when the strings are inline). */
export function workbookXml(file) {
  const sheet = readZipEntry(file, 'xl/worksheets/sheet1.xml');
  let strings = '';
  try {
    strings = readZipEntry(file, 'xl/sharedStrings.xml');
  } catch {
    // Inline strings: the text is in the sheet itself.
  }
  return { sheet, strings };
}
